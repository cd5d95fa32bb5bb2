package dev.switchboard.supervisor.auth;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Refresh-token rotation shared by all replicas (Redis): each refresh token is used once; using one again means it
 * was stolen (or the client is broken), so its whole family (every refresh token descended from the same login) is
 * revoked. Keys {@code sb:supervisor:refresh:used:<jti>} (until the token expires) and
 * {@code sb:supervisor:refresh:revoked:<family>} (as long as a token of the family can still be valid).
 */
@ApplicationScoped
public class RefreshTokenStore {

    /** What became of a refresh token presented for rotation. */
    public enum Outcome {
        /** First use: the caller may issue the next pair. */
        ROTATED,
        /** Used before: the family is now revoked. */
        REUSED,
        /** Its family was revoked earlier. */
        REVOKED
    }

    private static final String PREFIX = "sb:supervisor:refresh:";
    /** Atomic: a revoked family wins; else the first use marks the jti, a second use revokes the family. */
    private static final String USE = """
            if redis.call('EXISTS', KEYS[2]) == 1 then return 2 end
            if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
            redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
            return 1
            """;

    private final ReactiveRedisDataSource redis;

    RefreshTokenStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /**
     * Marks refresh token {@code jti} of {@code family} used.
     *
     * @param remaining how long the token is still valid (how long its use must be remembered)
     * @param familyLifetime how long a token of the family can still be valid (the refresh token lifetime)
     */
    public Uni<Outcome> use(String jti, String family, Duration remaining, Duration familyLifetime) {
        return redis.execute(
                        "EVAL",
                        USE,
                        "2",
                        PREFIX + "used:" + jti,
                        PREFIX + "revoked:" + family,
                        Long.toString(Math.max(1, remaining.toMillis())),
                        Long.toString(Math.max(1, familyLifetime.toMillis())))
                .map(Response::toInteger)
                .map(code -> Outcome.values()[code]);
    }
}
