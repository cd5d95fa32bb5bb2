package dev.switchboard.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The record of one chat turn.
 *
 * @param turnId       idempotency key of the turn
 * @param agent        the agent that handled it, or {@code null}
 * @param routing      how the agent was chosen, or {@code null}
 * @param outcome      {@code ok} or {@code error}
 * @param error        error text when the outcome is {@code error}
 * @param checkpointId the checkpoint written by this turn
 * @param createdAt    when the turn was appended
 * @param metadata     facts about this turn from the caller (tool calls, token usage, latency...), or {@code null}
 */
public record Turn(
        String turnId,
        String agent,
        Routing routing,
        String outcome,
        String error,
        String checkpointId,
        Instant createdAt,
        ObjectNode metadata) {}
