package dev.switchboard.supervisor.agents;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.time.Duration;

/** 504 {@code agent-timeout}: one agent execution (all model and tool rounds) exceeded its time limit. */
public class AgentTimeoutException extends ProblemException {

    /**
     * @param agentName the agent that took too long
     * @param limit     the time limit that was exceeded
     */
    public AgentTimeoutException(String agentName, Duration limit) {
        super(
                SupervisorProblem.AGENT_TIMEOUT,
                "Agent '" + agentName + "' did not answer within " + limit.toSeconds() + " s; please retry");
    }
}
