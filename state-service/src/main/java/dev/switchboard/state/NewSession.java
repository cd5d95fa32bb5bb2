package dev.switchboard.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.common.validation.Ids;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /sessions} (load or create).
 *
 * @param sessionId wanted id; generated when absent
 * @param userId    owner, or {@code null}
 * @param state     initial state object
 * @param metadata  initial metadata object
 */
public record NewSession(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String sessionId,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String userId,

        ObjectNode state,
        ObjectNode metadata) {}
