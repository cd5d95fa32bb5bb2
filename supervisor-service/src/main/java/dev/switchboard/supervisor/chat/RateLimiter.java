package dev.switchboard.supervisor.chat;

import dev.switchboard.common.logging.ThrottledWarning;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.sessions.RedisLiveness;
import dev.switchboard.supervisor.sessions.RedisScript;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Per-user chat rate limit shared by every replica: a token bucket in Redis (hash
 * {@code sb:supervisor:ratelimit:{who}}, fields {@code tokens}, {@code ts}), {@code RATE_LIMIT_BURST} tokens big,
 * refilled at {@code RATE_LIMIT_PER_MINUTE} per minute, taken in one Lua script using the Redis clock (so replicas'
 * clocks do not matter). If Redis is unavailable or does not answer within {@code REDIS_TIMEOUT} the request is let
 * through (fail open, logged at WARN at most every 10 s): availability of chat matters more than the limit.
 */
@ApplicationScoped
public class RateLimiter {

    /** Key prefix of the buckets. */
    public static final String KEY_PREFIX = "sb:supervisor:ratelimit:";

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    /**
     * KEYS: bucket. ARGV: capacity, tokens per minute. Returns {@code {1, 0}} when a token was taken, else
     * {@code {0, ms until the next token}}. The bucket expires once it would be full again.
     */
    private static final RedisScript TAKE = new RedisScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local cap, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens, ts = tonumber(b[1]), tonumber(b[2])
            if not tokens or not ts then tokens, ts = cap, now end
            tokens = math.min(cap, tokens + math.max(0, now - ts) * rate / 60000)
            local allowed, wait = 0, 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            else
              wait = math.ceil((1 - tokens) * 60000 / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.0f', now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(cap * 60000 / rate) + 1000)
            return {allowed, wait}
            """);

    private final ReactiveRedisDataSource redis;
    private final int perMinute;
    private final RedisLiveness liveness;
    private final ThrottledWarning redisWarning = new ThrottledWarning(LOG, Duration.ofSeconds(10));
    private final int burst;
    private final Counter rejections;
    private final Counter skipped;

    RateLimiter(ReactiveRedisDataSource redis, SupervisorConfig config, MeterRegistry meters, RedisLiveness liveness) {
        this.redis = redis;
        this.perMinute = config.rateLimitPerMinute();
        this.liveness = liveness;
        this.burst = Math.max(1, config.rateLimitBurst().filter(b -> b > 0).orElse(Math.max(1, perMinute)));
        this.rejections = Counter.builder("switchboard.rate.limit.rejections")
                .description("Chat messages refused by the per-user rate limit")
                .register(meters);
        this.skipped = Counter.builder("switchboard.rate.limit.skipped")
                .description("Chat messages let through unchecked because Redis was unavailable or too slow")
                .register(meters);
    }

    /**
     * Takes one token from {@code who}'s bucket.
     *
     * @param who user id, else session id, else {@code anonymous}
     * @return completes when admitted; fails with {@link RateLimitedException} (429, {@code Retry-After} =
     *         whole seconds until the next token) when the bucket is empty
     */
    public Uni<Void> admit(String who) {
        if (perMinute <= 0) {
            return Uni.createFrom().voidItem();
        }
        return liveness.bounded(() -> TAKE.run(
                        redis, List.of(KEY_PREFIX + who), Integer.toString(burst), Integer.toString(perMinute)))
                .map(reply -> reply.get(0).toLong() == 1
                        ? 0L
                        : Math.max(1L, (reply.get(1).toLong() + 999) / 1000))
                .onFailure()
                .recoverWithItem(failure -> {
                    skipped.increment();
                    redisWarning.warn("Rate limit check skipped, Redis unavailable: %s", failure.getMessage());
                    return 0L;
                })
                .chain(retryAfter -> {
                    if (retryAfter == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    rejections.increment();
                    return Uni.createFrom().failure(new RateLimitedException(perMinute, burst, retryAfter));
                });
    }
}
