package dev.switchboard.supervisor.service;

import dev.switchboard.supervisor.RateLimitedException;
import dev.switchboard.supervisor.config.SupervisorConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Per-user chat rate limit shared by every replica: a fixed 60 s window counted in Redis with INCR+EXPIRE
 * on {@code sb:supervisor:ratelimit:{who}:{epoch minute}}. If Redis is unavailable the request is let
 * through (fail open, logged at WARN): availability of chat matters more than the limit.
 */
@ApplicationScoped
public class RateLimiter {

    /** Key prefix of the window counters. */
    public static final String KEY_PREFIX = "sb:supervisor:ratelimit:";
    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;
    private final int limit;
    private final Clock clock;

    RateLimiter(ReactiveRedisDataSource redis, SupervisorConfig config) {
        this.counters = redis.value(String.class, Long.class);
        this.keys = redis.key(String.class);
        this.limit = config.rateLimitPerMinute();
        this.clock = Clock.systemUTC();
    }

    /**
     * Counts one request of {@code who} in the current minute.
     *
     * @param who user id, else session id, else {@code anonymous}
     * @return completes when admitted; fails with {@link RateLimitedException} (429, {@code Retry-After} =
     *         seconds to the end of the window) over the limit
     */
    public Uni<Void> admit(String who) {
        if (limit <= 0) {
            return Uni.createFrom().voidItem();
        }
        long now = clock.instant().getEpochSecond();
        String key = KEY_PREFIX + who + ":" + (now / 60);
        long retryAfter = Math.max(1, 60 - (now % 60));
        return counters.incr(key)
                .call(count -> count == 1 ? keys.expire(key, Duration.ofSeconds(60)) : Uni.createFrom().voidItem())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Rate limit check skipped, Redis unavailable: %s", failure.getMessage());
                    return 0L;
                })
                .chain(count -> count > limit ? Uni.createFrom().failure(new RateLimitedException(limit, retryAfter))
                        : Uni.createFrom().voidItem());
    }
}
