package dev.switchboard.supervisor;

import dev.switchboard.common.problem.ProblemException;

/** 409 {@code session-busy}: the session kept changing while this turn was being saved; retry the message. */
public class SessionBusyException extends ProblemException {

    /** @param sessionId the session */
    public SessionBusyException(String sessionId) {
        super("session-busy", "Session busy", 409,
                "Session " + sessionId + " was changed by another request while this turn was saved; retry");
    }
}
