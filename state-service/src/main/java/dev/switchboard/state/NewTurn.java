package dev.switchboard.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.common.validation.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code POST /sessions/{id}/turns}.
 *
 * @param turnId     idempotency key; generated when absent
 * @param messages   1..50 messages to append
 * @param agent      agent that handled the turn
 * @param routing    how it was chosen
 * @param outcome    {@code ok} (default) or {@code error}
 * @param error      error text for failed turns
 * @param statePatch JSON merge patch applied to the session state
 * @param metadata   facts about the turn, stored on its turn record (not merged into the session metadata)
 * @param userId     owner of the session this turn starts ({@code If-None-Match: *}); ignored otherwise, except that
 *                   it must then match the owner of a session that already holds this turn
 */
public record NewTurn(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String turnId,

        @NotNull @Size(min = 1, max = 50) List<@NotNull @Valid NewMessage> messages,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String agent,

        @Valid Routing routing,

        @Pattern(regexp = "ok|error", message = "must be ok or error")
        String outcome,

        @Size(max = 32000) String error,
        ObjectNode statePatch,
        ObjectNode metadata,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String userId) {

    /** A turn that names no owner (the session it goes to exists already). */
    public NewTurn(
            String turnId,
            List<NewMessage> messages,
            String agent,
            Routing routing,
            String outcome,
            String error,
            ObjectNode statePatch,
            ObjectNode metadata) {
        this(turnId, messages, agent, routing, outcome, error, statePatch, metadata, null);
    }
}
