package dev.switchboard.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One message of a session's history.
 *
 * @param role      {@code user}, {@code assistant}, {@code system} or {@code tool}
 * @param content   the text (at most 32000 characters)
 * @param agent     the agent that produced it, or {@code null} (user messages)
 * @param turnId    the turn it belongs to
 * @param timestamp when it was appended
 * @param metadata  free-form JSON object
 */
public record Message(
        String role, String content, String agent, String turnId, Instant timestamp, ObjectNode metadata) {}
