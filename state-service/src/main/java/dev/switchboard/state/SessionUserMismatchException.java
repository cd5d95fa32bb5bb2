package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** {@link StateProblem#SESSION_USER_MISMATCH}: the session exists for another user. */
public class SessionUserMismatchException extends ProblemException {

    /** @param sessionId the session asked for */
    public SessionUserMismatchException(String sessionId) {
        super(StateProblem.SESSION_USER_MISMATCH, "Session '" + sessionId + "' exists for a different user");
    }
}
