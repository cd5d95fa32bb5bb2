package dev.switchboard.supervisor.agents;

import io.smallrye.mutiny.Uni;

/**
 * Runs one turn of an agent: builds the model input from the system prompt, the session's history and
 * the user's message, calls the model (and the agent's tools) and returns the reply.
 */
public interface AgentExecutor {

    /**
     * Executes the agent for one turn.
     *
     * @return the reply; fails with {@code LlmNotConfiguredException} (503) when the agent needs an LLM
     *         and none is configured, {@code AgentTimeoutException} (504) past the time limit, and
     *         {@code AgentExecutionException} (502) when the model or a remote agent fails
     */
    Uni<AgentReply> execute(AgentRequest request);
}
