package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code agent-version-not-found}: the agent has no canary version of that name. */
public class AgentVersionNotFoundException extends ProblemException {

    /**
     * @param name    the agent
     * @param version the version looked up
     */
    public AgentVersionNotFoundException(String name, String version) {
        super("agent-version-not-found", "Agent version not found", 404,
                "Agent '" + name + "' has no version '" + version + "' besides its stable one");
    }
}
