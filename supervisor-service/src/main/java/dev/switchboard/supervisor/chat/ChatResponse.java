package dev.switchboard.supervisor.chat;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * {@code POST /chat} answer:
 * {@code {"session_id","response","agent","routing":{"method","score"},"checkpoint_id","turn_id"}}.
 *
 * @param sessionId    the session (new or continued)
 * @param response     the agent's reply
 * @param agent        the agent that answered
 * @param routing      how it was chosen
 * @param checkpointId the checkpoint state-service wrote for this turn
 * @param turnId       this turn's id
 * @param replayed     whether this is the stored answer of an earlier request with the same idempotency key (sent as
 *                     the {@code Idempotent-Replayed} header, not in the body)
 */
public record ChatResponse(
        String sessionId,
        String response,
        String agent,
        Routing routing,
        String checkpointId,
        String turnId,
        @JsonIgnore boolean replayed) {

    /** A fresh answer (not replayed). */
    public ChatResponse(
            String sessionId, String response, String agent, Routing routing, String checkpointId, String turnId) {
        this(sessionId, response, agent, routing, checkpointId, turnId, false);
    }

    /** @return this answer marked as replayed */
    public ChatResponse asReplayed() {
        return new ChatResponse(sessionId, response, agent, routing, checkpointId, turnId, true);
    }

    /**
     * A routing decision.
     *
     * @param method explicit, semantic, llm or default
     * @param score  0..1
     */
    public record Routing(String method, double score) {}
}
