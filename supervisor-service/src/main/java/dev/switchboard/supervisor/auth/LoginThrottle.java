package dev.switchboard.supervisor.auth;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Failed-login limit shared by all replicas: at most {@code LOGIN_MAX_FAILURES} failures per user name and
 * {@code LOGIN_MAX_FAILURES_PER_ADDRESS} per client address within {@code LOGIN_FAILURE_WINDOW} (Redis counters
 * {@code sb:supervisor:login-failures:*} that expire with the window). The address limit is higher because many
 * users may share one address (an office, a proxy). A success clears the user name's counter.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final String PREFIX = "sb:supervisor:login-failures:";
    /** Counts a failure on every key and arms a key's window on its first failure. */
    private static final String RECORD = """
            for i, key in ipairs(KEYS) do
              if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
            end
            return 0
            """;
    /** Returns the larger remaining lock time (ms) of the keys at or over their limit (ARGV[i]), else 0. */
    private static final String CHECK = """
            local wait = 0
            for i, key in ipairs(KEYS) do
              local n = tonumber(redis.call('GET', key) or '0')
              if n >= tonumber(ARGV[i]) then
                local ttl = redis.call('PTTL', key)
                if ttl > wait then wait = ttl end
              end
            end
            return wait
            """;

    private final ReactiveRedisDataSource redis;
    private final AuthSettings settings;

    LoginThrottle(ReactiveRedisDataSource redis, AuthSettings settings) {
        this.redis = redis;
        this.settings = settings;
    }

    /** @return milliseconds until another attempt is allowed for this user name and address; 0 = allowed now */
    public Uni<Long> lockedFor(String username, String address) {
        return redis.execute(
                        "EVAL",
                        CHECK,
                        "2",
                        userKey(username),
                        addressKey(address),
                        Integer.toString(settings.loginMaxFailures()),
                        Integer.toString(settings.loginMaxFailuresPerAddress()))
                .map(Response::toLong);
    }

    /** Counts one failed attempt for the user name and the address. */
    public Uni<Void> recordFailure(String username, String address) {
        return redis.execute(
                        "EVAL",
                        RECORD,
                        "2",
                        userKey(username),
                        addressKey(address),
                        Long.toString(settings.loginFailureWindow().toMillis()))
                .replaceWithVoid();
    }

    /** Clears the user name's failures after a successful login. */
    public Uni<Void> recordSuccess(String username) {
        return redis.execute("DEL", userKey(username)).replaceWithVoid();
    }

    private static String userKey(String username) {
        return PREFIX + "user:" + username;
    }

    private static String addressKey(String address) {
        return PREFIX + "addr:" + address;
    }
}
