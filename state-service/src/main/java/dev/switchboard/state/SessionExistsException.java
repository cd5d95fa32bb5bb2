package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** 409 {@code session-exists}: a fork asked for a session id that is already taken. */
public class SessionExistsException extends ProblemException {

    /** @param sessionId the taken id */
    public SessionExistsException(String sessionId) {
        super("session-exists", "Session already exists", 409, "Session '" + sessionId + "' already exists");
    }
}
