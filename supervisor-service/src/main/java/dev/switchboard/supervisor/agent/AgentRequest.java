package dev.switchboard.supervisor.agent;

import dev.switchboard.supervisor.AgentDescriptor;
import java.util.List;

/**
 * Input of one agent turn.
 *
 * @param agent        the agent chosen by the router
 * @param sessionId    the session the turn belongs to
 * @param userId       the user, may be {@code null}
 * @param message      the user's message of this turn
 * @param history      earlier messages of the session, oldest first (successful turns only)
 * @param systemPrompt the agent's rendered system prompt, may be {@code null} for non-LLM agents
 */
public record AgentRequest(AgentDescriptor agent, String sessionId, String userId, String message,
        List<HistoryMessage> history, String systemPrompt) {

    /**
     * One earlier message.
     *
     * @param role    {@code user} or {@code assistant}
     * @param content the text
     */
    public record HistoryMessage(String role, String content) {
    }
}
