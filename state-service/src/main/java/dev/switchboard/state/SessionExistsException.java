package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** {@link StateProblem#SESSION_EXISTS}: a fork asked for a session id that is already taken. */
public class SessionExistsException extends ProblemException {

    /** @param sessionId the taken id */
    public SessionExistsException(String sessionId) {
        super(StateProblem.SESSION_EXISTS, "Session '" + sessionId + "' already exists");
    }
}
