package dev.switchboard.supervisor.chat;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/**
 * 429 {@code rate-limited}: the user's token bucket is empty ({@code RATE_LIMIT_BURST} messages at once, refilled
 * at {@code RATE_LIMIT_PER_MINUTE}).
 */
public class RateLimitedException extends ProblemException {

    /**
     * @param limit             the per-minute refill rate
     * @param burst             the bucket size
     * @param retryAfterSeconds seconds until the next token (sent as {@code Retry-After})
     */
    public RateLimitedException(int limit, int burst, long retryAfterSeconds) {
        super(
                SupervisorProblem.RATE_LIMITED,
                "Rate limit of " + limit + " messages per minute (burst " + burst + ") reached; retry in "
                        + retryAfterSeconds + " s",
                null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                null);
    }
}
