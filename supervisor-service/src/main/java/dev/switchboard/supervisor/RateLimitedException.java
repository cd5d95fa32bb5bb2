package dev.switchboard.supervisor;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/** 429 {@code rate-limited}: the user sent more than {@code RATE_LIMIT_PER_MINUTE} chat messages this minute. */
public class RateLimitedException extends ProblemException {

    /**
     * @param limit             the per-minute limit
     * @param retryAfterSeconds seconds until the current window ends (sent as {@code Retry-After})
     */
    public RateLimitedException(int limit, long retryAfterSeconds) {
        super("rate-limited", "Too many requests", 429,
                "Rate limit of " + limit + " messages per minute reached; retry in " + retryAfterSeconds + " s", null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)), null);
    }
}
