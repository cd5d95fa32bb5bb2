package dev.switchboard.state.store;

import dev.switchboard.common.digest.Sha256;
import dev.switchboard.state.config.StateConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Erasure fences: what keeps a write that was in flight during an erasure from bringing the erased data back. An
 * erasure raises a fence per erased user and per erased session to the Redis time of the erasure (milliseconds); a
 * write whose {@code X-Fencing-Token} is lower (the supervisor's lease tokens are Redis time in milliseconds, taken
 * when the turn began) is refused. Keys {@code sb:state:erased:user:<sha256>} and
 * {@code sb:state:erased:session:<sha256>}: the SHA-256 (hex) of the id, never the id, so a fence holds no personal
 * data; each lives {@code ERASURE_FENCE_TTL}. Writes without a token are not fenced (as everywhere else).
 */
@ApplicationScoped
public class ErasureFences {

    /** Prefix of the fence keys. */
    public static final String PREFIX = SessionStore.PREFIX + "erased:";

    /**
     * KEYS: fences. ARGV: ttl ms. Sets each to the greater of its value and Redis's clock now (ms); returns now.
     */
    private static final String RAISE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            for _, key in ipairs(KEYS) do
              local old = tonumber(redis.call('GET', key) or '0')
              redis.call('SET', key, string.format('%.0f', math.max(old, now)), 'PX', ARGV[1])
            end
            return string.format('%.0f', now)
            """;

    private final ReactiveRedisDataSource redis;
    private final StateConfig config;

    /** Builds the store. */
    public ErasureFences(ReactiveRedisDataSource redis, StateConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** @return the fence key of a user: its id's SHA-256 */
    public static String userKey(String userId) {
        return PREFIX + "user:" + Sha256.hex(userId);
    }

    /** @return the fence key of a session: its id's SHA-256 */
    public static String sessionKey(String sessionId) {
        return PREFIX + "session:" + Sha256.hex(sessionId);
    }

    /**
     * Raises the fences of a user (may be {@code null}) and of sessions to now.
     *
     * @return the fence value: Redis's clock in milliseconds
     */
    public Uni<Long> raise(String userId, Collection<String> sessionIds) {
        List<String> args = new ArrayList<>();
        args.add(RAISE);
        List<String> keys = new ArrayList<>();
        if (userId != null) {
            keys.add(userKey(userId));
        }
        sessionIds.forEach(id -> keys.add(sessionKey(id)));
        args.add(Integer.toString(keys.size()));
        args.addAll(keys);
        args.add(Long.toString(Math.max(1, config.erasureFenceTtl().toMillis())));
        return redis.execute("EVAL", args.toArray(String[]::new)).map(r -> Long.parseLong(r.toString()));
    }

    /**
     * Whether a write to a session must be refused because the session or its user was erased after the writer's
     * token was issued.
     *
     * @param userId the session's user, or {@code null}
     * @param token  the write's fencing token, or {@code null} (never fenced)
     */
    public Uni<Boolean> blocks(String sessionId, String userId, Long token) {
        if (token == null) {
            return Uni.createFrom().item(false);
        }
        List<String> args = new ArrayList<>(List.of(sessionKey(sessionId)));
        if (userId != null) {
            args.add(userKey(userId));
        }
        return redis.execute("MGET", args.toArray(String[]::new)).map(values -> {
            for (Response value : values) {
                if (value != null && Long.parseLong(value.toString()) > token) {
                    return true;
                }
            }
            return false;
        });
    }
}
