package dev.switchboard.supervisor.agents;

import io.smallrye.mutiny.Uni;

/**
 * Runs one turn of the agents of one kind: builds their input from the system prompt, the session's history and
 * the user's message, calls the model (and the agent's tools) or the remote agent, and returns the reply.
 * {@link AgentExecutors} picks the executor by {@link #kind()}.
 */
public interface AgentExecutor {

    /** @return the agent kind this executor runs: {@code llm}, {@code remote} or {@code a2a} */
    String kind();

    /**
     * Executes the agent for one turn.
     *
     * @return the reply; fails with {@code LlmNotConfiguredException} (503) when the agent needs an LLM
     *         and none is configured, {@code AgentTimeoutException} (504) past the time limit, and
     *         {@code AgentExecutionException} (502) when the model or a remote agent fails
     */
    Uni<AgentReply> execute(AgentRequest request);
}
