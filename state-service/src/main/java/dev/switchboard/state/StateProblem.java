package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemType;

/**
 * The problem types of state-service's own (the shared ones are {@link dev.switchboard.common.problem.CommonProblem}).
 */
public enum StateProblem implements ProblemType {

    /** No Redis copy and no checkpoint for the session. */
    SESSION_NOT_FOUND("session-not-found", 404, "Session not found"),
    /** The session has no checkpoint with that id. */
    CHECKPOINT_NOT_FOUND("checkpoint-not-found", 404, "Checkpoint not found"),
    /** The session exists for another user. */
    SESSION_USER_MISMATCH("session-user-mismatch", 409, "Session belongs to another user"),
    /** A fork asked for a session id that is already taken. */
    SESSION_EXISTS("session-exists", 409, "Session already exists"),
    /**
     * The write's fencing token is lower than one the session accepted or than the session's newest lease: the writer
     * lost its lease.
     */
    STALE_FENCING_TOKEN("stale-fencing-token", 409, "Stale fencing token"),
    /** {@code If-Match} is not the current version; the {@code ETag} header carries it. */
    VERSION_CONFLICT("version-conflict", 412, "Version conflict"),
    /** A PATCH without {@code If-Match}. */
    PRECONDITION_REQUIRED("precondition-required", 428, "Precondition required"),
    /** A turn lost the version race on every retry; {@code Retry-After: 1}. */
    WRITE_CONTENTION("write-contention", 503, "Too many concurrent writes"),
    /**
     * PostgreSQL (or, for an operation that cannot do without it, Redis) did not answer in time or refused the
     * connection; {@code Retry-After: 1}.
     */
    DEPENDENCY_UNAVAILABLE("dependency-unavailable", 503, "Dependency unavailable");

    private final String slug;
    private final int status;
    private final String title;

    StateProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
