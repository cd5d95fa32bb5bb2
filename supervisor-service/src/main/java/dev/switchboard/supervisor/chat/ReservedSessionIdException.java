package dev.switchboard.supervisor.chat;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/**
 * 403 {@code reserved-session-id}: a client named a session in a webhook provider's namespace
 * ({@link ReservedSessionIds}); only the webhook queue writes those, only an admin reads them. Nothing is stored.
 */
public class ReservedSessionIdException extends ProblemException {

    /** @param sessionId the id the client named */
    public ReservedSessionIdException(String sessionId) {
        super(
                SupervisorProblem.RESERVED_SESSION_ID,
                "Session ids starting with '"
                        + sessionId.substring(0, sessionId.indexOf(':') + 1)
                        + "' belong to a CRM webhook provider: only its webhooks write them");
    }
}
