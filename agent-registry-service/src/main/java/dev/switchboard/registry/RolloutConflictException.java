package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/**
 * {@link RegistryProblem#ROLLOUT_CONFLICT}: the change would give the canaries more than 100 % of the traffic, or
 * names the stable version as a canary.
 */
public class RolloutConflictException extends ProblemException {

    /** @param detail client-safe explanation */
    public RolloutConflictException(String detail) {
        super(RegistryProblem.ROLLOUT_CONFLICT, detail);
    }
}
