package dev.switchboard.supervisor.chat;

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
 */
public record ChatResponse(
        String sessionId, String response, String agent, Routing routing, String checkpointId, String turnId) {

    /**
     * A routing decision.
     *
     * @param method explicit, semantic, llm or default
     * @param score  0..1
     */
    public record Routing(String method, double score) {}
}
