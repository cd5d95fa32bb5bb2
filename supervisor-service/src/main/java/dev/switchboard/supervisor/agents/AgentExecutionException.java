package dev.switchboard.supervisor.agents;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/**
 * 502 {@code agent-failed}: the model or a remote agent failed (after the client's retries). The detail names
 * the agent only; the cause is logged, never sent.
 */
public class AgentExecutionException extends ProblemException {

    /**
     * @param agentName the agent whose execution failed
     * @param cause     the underlying failure (logged only)
     */
    public AgentExecutionException(String agentName, Throwable cause) {
        this(agentName, "Agent '" + agentName + "' failed to answer; please retry", cause);
    }

    /**
     * @param agentName the agent whose execution failed
     * @param detail    client-safe explanation
     * @param cause     the underlying failure (logged only), may be {@code null}
     */
    public AgentExecutionException(String agentName, String detail, Throwable cause) {
        super(SupervisorProblem.AGENT_FAILED, detail, null, Map.of(), cause);
    }
}
