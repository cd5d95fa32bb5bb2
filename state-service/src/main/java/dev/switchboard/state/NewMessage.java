package dev.switchboard.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.common.validation.Ids;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A message to append with a turn.
 *
 * @param role     {@code user}, {@code assistant}, {@code system} or {@code tool}
 * @param content  the text, at most 32000 characters
 * @param agent    producing agent; assistant and tool messages default to the turn's agent
 * @param metadata free-form JSON object
 */
public record NewMessage(
        @NotNull
        @Pattern(regexp = "user|assistant|system|tool", message = "must be one of user, assistant, system, tool")
        String role,

        @NotNull @Size(max = 32000) String content,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String agent,

        ObjectNode metadata) {}
