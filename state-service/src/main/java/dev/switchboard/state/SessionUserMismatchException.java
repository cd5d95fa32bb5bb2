package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** 409 {@code session-user-mismatch}: the session exists for another user. */
public class SessionUserMismatchException extends ProblemException {

    /** @param sessionId the session asked for */
    public SessionUserMismatchException(String sessionId) {
        super("session-user-mismatch", "Session belongs to another user", 409,
                "Session '" + sessionId + "' exists for a different user");
    }
}
