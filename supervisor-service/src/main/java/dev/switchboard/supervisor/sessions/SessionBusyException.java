package dev.switchboard.supervisor.sessions;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/**
 * 409 {@code session-busy}: another message of the session is being worked on (or waits) and the request asked
 * for {@code "multitask_strategy": "reject"}; or the session kept changing while this turn was saved. Nothing
 * was written; resend later.
 */
public class SessionBusyException extends ProblemException {

    /** @param sessionId the session whose turn could not be saved after a reload */
    public SessionBusyException(String sessionId) {
        super(
                SupervisorProblem.SESSION_BUSY,
                "Session " + sessionId + " was changed by another request while this turn was saved; retry");
    }

    /**
     * @param sessionId the busy session
     * @param rejected  {@code true}: refused by the {@code reject} double-texting strategy
     */
    public SessionBusyException(String sessionId, boolean rejected) {
        super(
                SupervisorProblem.SESSION_BUSY,
                rejected
                        ? "Session " + sessionId
                                + " is working on another message (multitask_strategy reject); nothing was"
                                + " recorded, resend once it is done"
                        : "Session " + sessionId + " was changed by another request while this turn was saved; retry");
    }
}
