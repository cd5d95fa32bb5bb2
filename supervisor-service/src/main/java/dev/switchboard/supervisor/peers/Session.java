package dev.switchboard.supervisor.peers;

import java.util.List;
import java.util.Map;

/**
 * state-service's session object as the supervisor reads it (and proxies on {@code GET /sessions/{id}}).
 *
 * @param sessionId        session id
 * @param userId           owner, may be {@code null}
 * @param version          compare-and-set version, increases on every write
 * @param messages         all messages, oldest first
 * @param turns            turn records, oldest first
 * @param state            free-form state
 * @param metadata         free-form metadata
 * @param createdAt        ISO timestamp
 * @param updatedAt        ISO timestamp
 * @param lastCheckpointId id of the newest checkpoint, may be {@code null}
 * @param recovered        whether this copy was rebuilt from a checkpoint
 */
public record Session(
        String sessionId,
        String userId,
        long version,
        List<Message> messages,
        List<Turn> turns,
        Map<String, Object> state,
        Map<String, Object> metadata,
        String createdAt,
        String updatedAt,
        String lastCheckpointId,
        Boolean recovered) {

    /**
     * One stored message.
     *
     * @param role      user or assistant (or system/tool)
     * @param content   text
     * @param agent     the agent that wrote it (assistant messages)
     * @param turnId    the turn it belongs to
     * @param timestamp ISO timestamp
     * @param metadata  free-form metadata
     */
    public record Message(
            String role, String content, String agent, String turnId, String timestamp, Map<String, Object> metadata) {}

    /**
     * One stored turn record.
     *
     * @param turnId       turn id
     * @param agent        agent that handled it
     * @param routing      routing decision
     * @param outcome      ok or error
     * @param error        error text of failed turns
     * @param checkpointId checkpoint written for the turn
     * @param createdAt    ISO timestamp
     * @param metadata     the turn's facts: tool calls, token usage, latency, supervisor id
     */
    public record Turn(
            String turnId,
            String agent,
            Routing routing,
            String outcome,
            String error,
            String checkpointId,
            String createdAt,
            Map<String, Object> metadata) {}

    /**
     * A routing decision as stored with a turn.
     *
     * @param method explicit, semantic, llm or default
     * @param score  similarity score 0..1
     */
    public record Routing(String method, Double score) {}

    /** @return messages, never {@code null} */
    /**
     * A session state-service does not hold yet: version 0, no messages, turns or state. Its first turn starts it
     * ({@link StateClient#startSession}).
     */
    public static Session unsaved(String sessionId, String userId) {
        return new Session(sessionId, userId, 0, List.of(), List.of(), Map.of(), Map.of(), null, null, null, null);
    }

    /** @return whether state-service does not hold this session yet (version 0) */
    public boolean isUnsaved() {
        return version == 0;
    }

    public List<Message> messagesOrEmpty() {
        return messages == null ? List.of() : messages;
    }

    /** @return turns, never {@code null} */
    public List<Turn> turnsOrEmpty() {
        return turns == null ? List.of() : turns;
    }
}
