package dev.switchboard.state;

import dev.switchboard.common.validation.Ids;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /threads/{id}/checkpoints/{cid}/fork}.
 *
 * @param sessionId id of the new session; generated when absent
 */
public record ForkRequest(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String sessionId) {}
