package dev.switchboard.supervisor;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/** 503 {@code capacity-exhausted}: this replica already works on {@code MAX_CONCURRENT_SESSIONS} turns. */
public class CapacityExhaustedException extends ProblemException {

    /** @param max the per-replica cap */
    public CapacityExhaustedException(int max) {
        super("capacity-exhausted", "Capacity exhausted", 503,
                "This supervisor is handling its maximum of " + max + " concurrent turns; retry shortly", null,
                Map.of("Retry-After", "1"), null);
    }
}
