package dev.switchboard.supervisor.sessions;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/**
 * 503 {@code session-busy-timeout}: the message waited {@code SESSION_LEASE_MAX_WAIT} for the session's earlier
 * messages to finish (strategy {@code enqueue}) and gave up; nothing was recorded. {@code Retry-After} in seconds.
 */
public class SessionBusyTimeoutException extends ProblemException {

    /**
     * @param sessionId the session
     * @param waitedMs  how long the request waited, in milliseconds
     */
    public SessionBusyTimeoutException(String sessionId, long waitedMs) {
        super(
                SupervisorProblem.SESSION_BUSY_TIMEOUT,
                "Session " + sessionId + " stayed busy for " + waitedMs + " ms; nothing was recorded, retry later",
                null,
                Map.of("Retry-After", "2"),
                null);
    }
}
