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
 * @param trace        where the executors note the version and prompt that ran the turn, may be {@code null}
 */
public record AgentRequest(AgentDescriptor agent, String sessionId, String userId, String message,
        List<HistoryMessage> history, String systemPrompt, Map<String, Object> state, TurnTrace trace) {

    /** A request without a trace. */
    public AgentRequest(AgentDescriptor agent, String sessionId, String userId, String message,
            List<HistoryMessage> history, String systemPrompt, Map<String, Object> state) {
        this(agent, sessionId, userId, message, history, systemPrompt, state, null);
    }

    /** A request without session state. */
    public AgentRequest(AgentDescriptor agent, String sessionId, String userId, String message,
            List<HistoryMessage> history, String systemPrompt) {
        this(agent, sessionId, userId, message, history, systemPrompt, null, null);
    }

    /** @return this request with another rendered system prompt (e.g. a canary version's prompt) */
    public AgentRequest withSystemPrompt(String prompt) {
        return new AgentRequest(agent, sessionId, userId, message, history, prompt, state, trace);
    }

    /** @return this request for {@code other} (e.g. the canary version the session is assigned to) */
    public AgentRequest withAgent(AgentDescriptor other) {
        return new AgentRequest(other, sessionId, userId, message, history, systemPrompt, state, trace);
    }

    /** @return this request noting what ran it in {@code turnTrace} */
    public AgentRequest withTrace(TurnTrace turnTrace) {
        return new AgentRequest(agent, sessionId, userId, message, history, systemPrompt, state, turnTrace);
    }

    /**
     * One earlier message.
     *
     * @param role    {@code user} or {@code assistant}
     * @param content the text
     */
    public record HistoryMessage(String role, String content) {
    }
}
