package dev.switchboard.supervisor.routing;

import dev.switchboard.common.problem.ProblemException;

/** 409 {@code agent-unavailable}: the agent exists but is not active (inactive, draining, unhealthy). */
public class AgentUnavailableException extends ProblemException {

    /**
     * @param name   the agent
     * @param status its current status
     */
    public AgentUnavailableException(String name, String status) {
        super("agent-unavailable", "Agent unavailable", 409, "Agent '" + name + "' is " + status);
    }
}
