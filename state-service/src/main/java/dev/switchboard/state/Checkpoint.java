package dev.switchboard.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One durable checkpoint row: the full session snapshot at one version.
 *
 * @param sessionId    the session id, sent as {@code thread_id}: the name LangGraph users migrate from
 * @param checkpointId unique id of this checkpoint
 * @param parentId     the previous checkpoint of the session, or {@code null} for the first one
 * @param version      session version stored in it
 * @param checkpoint   the full session snapshot
 * @param metadata     what produced it: {@code source} (create, update, turn, fork), {@code turn_id}, ...
 * @param createdAt    when it was written
 */
public record Checkpoint(
        @JsonProperty("thread_id") String sessionId,
        String checkpointId,
        String parentId,
        long version,
        Session checkpoint,
        ObjectNode metadata,
        Instant createdAt) {}
