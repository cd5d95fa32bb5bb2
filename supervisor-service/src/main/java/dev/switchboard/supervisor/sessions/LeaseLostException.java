package dev.switchboard.supervisor.sessions;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/**
 * 409 {@code lease-lost}: this replica's lease on the session expired while the turn ran and another request took
 * the session over, whether or not it has written yet (state-service refused the stale fencing token). Nothing of
 * this turn was recorded; resending the message is safe.
 */
public class LeaseLostException extends ProblemException {

    /** @param sessionId the session */
    public LeaseLostException(String sessionId) {
        super(
                SupervisorProblem.LEASE_LOST,
                "The turn on session " + sessionId + " outlived its lease and another request took the session over;"
                        + " nothing was recorded, resend the message");
    }
}
