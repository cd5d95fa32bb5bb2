package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code agent-not-found}: no agent is registered under the name. */
public class AgentNotFoundException extends ProblemException {

    /** @param name the agent name looked up */
    public AgentNotFoundException(String name) {
        super("agent-not-found", "Agent not found", 404, "No agent is registered under the name '" + name + "'");
    }
}
