package dev.switchboard.supervisor.agents;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/** 503 {@code llm-not-configured}: an {@code llm} agent was asked to answer but no LLM endpoint is configured. */
public class LlmNotConfiguredException extends ProblemException {

    /** @param agentName the agent that needs the LLM */
    public LlmNotConfiguredException(String agentName) {
        super(
                SupervisorProblem.LLM_NOT_CONFIGURED,
                "Agent '" + agentName
                        + "' needs an LLM, but none is configured (set OPENAI_BASE_URL and/or OPENAI_API_KEY)");
    }
}
