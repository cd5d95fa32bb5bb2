package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/** {@link RegistryProblem#AGENT_VERSION_NOT_FOUND}: the agent has no canary version of that name. */
public class AgentVersionNotFoundException extends ProblemException {

    /**
     * @param name    the agent
     * @param version the version looked up
     */
    public AgentVersionNotFoundException(String name, String version) {
        super(
                RegistryProblem.AGENT_VERSION_NOT_FOUND,
                "Agent '" + name + "' has no version '" + version + "' besides its stable one");
    }
}
