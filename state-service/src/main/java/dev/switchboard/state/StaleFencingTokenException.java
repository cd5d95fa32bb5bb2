package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/**
 * {@link StateProblem#STALE_FENCING_TOKEN}: the write carried an {@code X-Fencing-Token} lower than one the session
 * already accepted, i.e. the writer lost its lease to a newer holder; nothing was written.
 */
public class StaleFencingTokenException extends ProblemException {

    /**
     * @param sessionId the session
     * @param token     the token the write carried
     * @param current   the highest token the session has seen
     */
    public StaleFencingTokenException(String sessionId, long token, long current) {
        super(
                StateProblem.STALE_FENCING_TOKEN,
                "Session '" + sessionId + "' already accepted fencing token " + current + "; token " + token
                        + " is stale (the writer's lease was lost)");
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
