package dev.switchboard.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A checkpoint without its snapshot, as listed by {@code GET /threads/{id}/checkpoints}.
 *
 * @param checkpointId the checkpoint id
 * @param parentId     the previous checkpoint, or {@code null}
 * @param version      session version it holds
 * @param createdAt    when it was written
 * @param metadata     what produced it
 */
public record CheckpointSummary(
        String checkpointId, String parentId, long version, Instant createdAt, ObjectNode metadata) {}
