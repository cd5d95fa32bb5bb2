package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/**
 * {@link RegistryProblem#SUPERVISOR_NOT_FOUND}: no supervisor instance is registered under the id (it should register
 * again).
 */
public class SupervisorNotFoundException extends ProblemException {

    /** @param id the instance id looked up */
    public SupervisorNotFoundException(String id) {
        super(
                RegistryProblem.SUPERVISOR_NOT_FOUND,
                "No supervisor instance is registered under the id '" + id + "'; register it again");
    }
}
