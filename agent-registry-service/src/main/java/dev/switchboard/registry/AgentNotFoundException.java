package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/** {@link RegistryProblem#AGENT_NOT_FOUND}: no agent is registered under the name. */
public class AgentNotFoundException extends ProblemException {

    /** @param name the agent name looked up */
    public AgentNotFoundException(String name) {
        super(RegistryProblem.AGENT_NOT_FOUND, "No agent is registered under the name '" + name + "'");
    }
}
