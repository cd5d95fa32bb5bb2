package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/**
 * {@link StateProblem#STALE_FENCING_TOKEN}: the write carried an {@code X-Fencing-Token} lower than one the session
 * already accepted, or lower than the token of a lease granted on the session since, i.e. the writer lost its lease to
 * a newer holder; nothing was written.
 */
public class StaleFencingTokenException extends ProblemException {

    /**
     * @param sessionId the session
     * @param token     the token the write carried
     * @param current   the highest token the session has seen
     */
    public StaleFencingTokenException(String sessionId, long token, long current) {
        this("Session '" + sessionId + "' already accepted fencing token " + current + "; token " + token
                + " is stale (the writer's lease was lost)");
    }

    private StaleFencingTokenException(String detail) {
        super(StateProblem.STALE_FENCING_TOKEN, detail);
    }

    /**
     * A newer lease was granted on the session than the writer's, whether or not its holder has written yet.
     *
     * @param sessionId  the session
     * @param token      the token the write carried
     * @param leaseToken the token of the session's newest lease
     * @return the exception
     */
    public static StaleFencingTokenException leaseTakenOver(String sessionId, long token, long leaseToken) {
        return new StaleFencingTokenException("Session '" + sessionId + "' was leased with fencing token " + leaseToken
                + "; token " + token + " is stale (the writer's lease was taken over)");
    }

    /**
     * The write's token predates an erasure of the session or of its user (a turn that was in flight then): writing
     * it would bring erased data back.
     *
     * @param sessionId the session
     * @param token     the token the write carried
     */
    public StaleFencingTokenException(String sessionId, long token) {
        super(
                StateProblem.STALE_FENCING_TOKEN,
                "Session '" + sessionId + "' or its user was erased after fencing token " + token
                        + " was issued; nothing written");
    }
}
