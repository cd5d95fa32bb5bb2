package dev.switchboard.supervisor.chat;

import dev.switchboard.common.validation.Ids;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /chat} body: {@code {"message", "session_id"?, "user_id"?, "agent"?, "multitask_strategy"?}}.
 *
 * @param message   the user's message, 1..8000 characters, not blank
 * @param sessionId the session to continue; a new one (UUID) is created when absent
 * @param userId    the user, used for rate limiting and session ownership; a non-admin caller may only name
 *                  itself (the resource fills in the caller when absent)
 * @param agent     explicit agent name; skips the router
 * @param multitaskStrategy what to do when the session is busy with another message: {@code enqueue} (default:
 *                  wait and run after it, in arrival order) or {@code reject} (409 {@code session-busy})
 */
public record ChatRequest(
        @NotBlank(message = "must not be blank") @Size(max = 8000, message = "must be at most 8000 characters")
        String message,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String sessionId,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String userId,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String agent,

        @Pattern(regexp = "enqueue|reject", message = "must be enqueue or reject")
        String multitaskStrategy) {

    /** @return this request acting for {@code user} */
    public ChatRequest withUserId(String user) {
        return new ChatRequest(message, sessionId, user, agent, multitaskStrategy);
    }
}
