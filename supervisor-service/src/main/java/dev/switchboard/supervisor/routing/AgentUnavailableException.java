package dev.switchboard.supervisor.routing;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/** 409 {@code agent-unavailable}: the agent exists but is not active (inactive, draining, unhealthy). */
public class AgentUnavailableException extends ProblemException {

    /**
     * @param name   the agent
     * @param status its current status
     */
    public AgentUnavailableException(String name, String status) {
        super(SupervisorProblem.AGENT_UNAVAILABLE, "Agent '" + name + "' is " + status);
    }
}
