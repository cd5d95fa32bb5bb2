package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** {@link StateProblem#SESSION_NOT_FOUND}: no Redis copy and no checkpoint for the session. */
public class SessionNotFoundException extends ProblemException {

    /** @param sessionId the unknown session */
    public SessionNotFoundException(String sessionId) {
        super(StateProblem.SESSION_NOT_FOUND, "Session '" + sessionId + "' does not exist");
    }
}
