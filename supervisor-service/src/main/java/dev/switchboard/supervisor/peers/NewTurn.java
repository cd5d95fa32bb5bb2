package dev.switchboard.supervisor.peers;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Body of state-service {@code POST /sessions/{id}/turns}.
 *
 * @param turnId   idempotency key of the turn
 * @param messages the turn's messages (user, then assistant on success)
 * @param agent    the agent that handled it
 * @param routing  the routing decision
 * @param outcome  ok or error
 * @param error    error text (outcome error), never a stack trace
 * @param metadata tool calls, token usage, latency, supervisor id
 * @param statePatch JSON merge patch of the session state (a remote agent's {@code state_patch}), or {@code null}
 * @param userId   the session's owner when the turn starts the session ({@link StateClient#startSession}), else
 *                 {@code null} (not sent)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewTurn(
        String turnId,
        List<Message> messages,
        String agent,
        Session.Routing routing,
        String outcome,
        String error,
        Map<String, Object> metadata,
        Map<String, Object> statePatch,
        String userId) {

    /** A turn of a session state-service holds. */
    public NewTurn(
            String turnId,
            List<Message> messages,
            String agent,
            Session.Routing routing,
            String outcome,
            String error,
            Map<String, Object> metadata,
            Map<String, Object> statePatch) {
        this(turnId, messages, agent, routing, outcome, error, metadata, statePatch, null);
    }

    /** A turn that leaves the session state alone. */
    public NewTurn(
            String turnId,
            List<Message> messages,
            String agent,
            Session.Routing routing,
            String outcome,
            String error,
            Map<String, Object> metadata) {
        this(turnId, messages, agent, routing, outcome, error, metadata, null, null);
    }

    /** @return this turn starting the session for {@code owner} */
    public NewTurn startingSessionOf(String owner) {
        return new NewTurn(turnId, messages, agent, routing, outcome, error, metadata, statePatch, owner);
    }

    /**
     * One message to append.
     *
     * @param role     user or assistant
     * @param content  text
     * @param agent    the answering agent (assistant messages)
     * @param metadata free-form metadata
     */
    public record Message(String role, String content, String agent, Map<String, Object> metadata) {}
}
