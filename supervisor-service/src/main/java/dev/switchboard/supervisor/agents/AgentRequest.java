package dev.switchboard.supervisor.agents;

import java.util.List;
import java.util.Map;

/**
 * Input of one agent turn.
 *
 * @param agent        the agent chosen by the router
 * @param sessionId    the session the turn belongs to
 * @param userId       the user, may be {@code null}
 * @param message      the user's message of this turn
 * @param history      earlier messages of the session, oldest first (successful turns only)
 * @param systemPrompt the agent's rendered system prompt, may be {@code null} for non-LLM agents
 * @param state        the session's state (sent to remote and A2A agents), may be {@code null}
 * @param turnId       the turn's id, may be {@code null}: tools key their side effects by it (see
 *                     {@link AgentToolRegistry#TOOL_CALL_KEY})
 */
public record AgentRequest(
        AgentDescriptor agent,
        String sessionId,
        String userId,
        String message,
        List<HistoryMessage> history,
        String systemPrompt,
        Map<String, Object> state,
        String turnId) {

    /** A request outside a stored turn (no turn id). */
    public AgentRequest(
            AgentDescriptor agent,
            String sessionId,
            String userId,
            String message,
            List<HistoryMessage> history,
            String systemPrompt,
            Map<String, Object> state) {
        this(agent, sessionId, userId, message, history, systemPrompt, state, null);
    }

    /** A request without session state. */
    public AgentRequest(
            AgentDescriptor agent,
            String sessionId,
            String userId,
            String message,
            List<HistoryMessage> history,
            String systemPrompt) {
        this(agent, sessionId, userId, message, history, systemPrompt, null, null);
    }

    /**
     * One earlier message.
     *
     * @param role    {@code user} or {@code assistant}
     * @param content the text
     */
    public record HistoryMessage(String role, String content) {}
}
