package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code session-not-found}: no Redis copy and no checkpoint for the session. */
public class SessionNotFoundException extends ProblemException {

    /** @param sessionId the unknown session */
    public SessionNotFoundException(String sessionId) {
        super("session-not-found", "Session not found", 404, "Session '" + sessionId + "' does not exist");
    }
}
