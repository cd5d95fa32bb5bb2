package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/**
 * 409 {@code rollout-conflict}: the change would give the canaries more than 100 % of the traffic, or names the
 * stable version as a canary.
 */
public class RolloutConflictException extends ProblemException {

    /** @param detail client-safe explanation */
    public RolloutConflictException(String detail) {
        super("rollout-conflict", "Rollout conflict", 409, detail);
    }
}
