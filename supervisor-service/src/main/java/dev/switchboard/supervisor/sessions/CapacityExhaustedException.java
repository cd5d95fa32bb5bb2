package dev.switchboard.supervisor.sessions;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/**
 * 503 {@code capacity-exhausted}: this replica already works on {@code MAX_CONCURRENT_SESSIONS} turns, or already
 * holds {@code supervisor.lease.max-waiters-per-replica} messages waiting for their sessions.
 */
public class CapacityExhaustedException extends ProblemException {

    /** @param max the per-replica cap of turns holding a lease */
    public CapacityExhaustedException(int max) {
        super(
                SupervisorProblem.CAPACITY_EXHAUSTED,
                "This supervisor is handling its maximum of " + max + " concurrent turns; retry shortly",
                null,
                Map.of("Retry-After", "1"),
                null);
    }

    /**
     * @param maxWaiters the per-replica cap of waiting messages
     * @param waiting    marker for the waiting-queue variant
     */
    public CapacityExhaustedException(int maxWaiters, boolean waiting) {
        super(
                SupervisorProblem.CAPACITY_EXHAUSTED,
                "This supervisor already has " + maxWaiters + " messages waiting for their sessions; retry shortly",
                null,
                Map.of("Retry-After", "1"),
                null);
    }
}
