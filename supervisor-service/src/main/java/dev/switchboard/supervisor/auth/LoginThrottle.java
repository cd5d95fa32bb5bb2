package dev.switchboard.supervisor.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Failed-login limit shared by all replicas (Redis, keys {@code sb:supervisor:login-failures:*} that expire with
 * {@code LOGIN_FAILURE_WINDOW}), keyed so that an attacker cannot lock a real user out:
 * <ul>
 * <li>per user name <em>and</em> client address: {@code LOGIN_MAX_FAILURES} failures are free, each further one locks
 * that pair for {@code LOGIN_LOCK_DELAY}, doubling with every failure up to {@code LOGIN_MAX_LOCK_DELAY}; the same
 * user from another address is not affected;</li>
 * <li>per client address: at most {@code LOGIN_MAX_FAILURES_PER_ADDRESS} failures over all user names (higher,
 * because many users may share one address, an office or a proxy).</li>
 * </ul>
 * An attempt is checked and counted as a failure in one atomic step before its password is verified, so parallel
 * attempts cannot all pass the check before any failure is recorded; a successful login then takes its count back
 * and clears the pair's failures.
 *
 * <p>A refusal is remembered in this replica until the lock ends (at most {@value #REMEMBERED_LOCKS} locked pairs and
 * addresses), so a flood from a locked address is answered 429 without a Redis round trip: refusing must cost less
 * than the request, or the flood itself takes the CPU that chat turns need. Redis stays the one source of truth; the
 * remembered lock never outlives the lock it copies.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final String PREFIX = "sb:supervisor:login-failures:";
    private static final String PAIR_PREFIX = PREFIX + "pair:";
    /**
     * KEYS: pair (hash: failures, until), address. ARGV: now ms, pair limit, address limit, window ms, first lock ms,
     * longest lock ms. Returns the ms the pair is locked (positive) or the address is (negative), the attempt not
     * counted; or 0 (attempt counted as a failure).
     */
    private static final String BEGIN = """
            local now = tonumber(ARGV[1])
            local address = tonumber(redis.call('GET', KEYS[2]) or '0')
            if address >= tonumber(ARGV[3]) then
              local ttl = redis.call('PTTL', KEYS[2])
              if ttl < 1 then ttl = tonumber(ARGV[4]) end
              return -ttl
            end
            local locked = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
            if locked > now then return locked - now end
            local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
            local keep = tonumber(ARGV[4])
            if failures >= tonumber(ARGV[2]) then
              local delay = tonumber(ARGV[5]) * 2 ^ (failures - tonumber(ARGV[2]))
              if delay > tonumber(ARGV[6]) then delay = tonumber(ARGV[6]) end
              redis.call('HSET', KEYS[1], 'until', now + delay)
              if delay > keep then keep = delay end
            end
            redis.call('PEXPIRE', KEYS[1], keep)
            if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
            return 0
            """;
    /** A success: the pair starts over and the address gets its counted attempt back. */
    private static final String SUCCEED = """
            redis.call('DEL', KEYS[1])
            if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
            return 0
            """;

    /** Locked pairs and addresses this replica remembers, so that refusing them needs no Redis round trip. */
    static final int REMEMBERED_LOCKS = 10_000;

    private final ReactiveRedisDataSource redis;
    private final AuthSettings settings;
    /** Key (pair or address) → epoch ms at which its lock ends; each entry expires with its lock. */
    private final Cache<String, Long> locks = Caffeine.newBuilder()
            .maximumSize(REMEMBERED_LOCKS)
            .expireAfter(Expiry.creating(
                    (String key, Long until) -> Duration.ofMillis(Math.max(0, until - System.currentTimeMillis()))))
            .build();

    private final Counter refusedLocally;

    LoginThrottle(ReactiveRedisDataSource redis, AuthSettings settings, MeterRegistry meters) {
        this.redis = redis;
        this.settings = settings;
        this.refusedLocally = Counter.builder("switchboard_auth_logins_refused_locally_total")
                .description("Logins refused from this replica's memory of a lock, without asking Redis")
                .register(meters);
    }

    /**
     * Checks the limits and, when the attempt may go ahead, counts it as a failure (atomically).
     *
     * @return milliseconds until another attempt is allowed for this user name from this address (the attempt was
     *         not counted); 0 = go ahead, call {@link #recordSuccess} if the password matches
     */
    public Uni<Long> beginAttempt(String username, String address) {
        String pairKey = pairKey(username, address);
        String addressKey = addressKey(address);
        long now = System.currentTimeMillis();
        long remembered = Math.max(lockedFor(addressKey, now), lockedFor(pairKey, now));
        if (remembered > 0) {
            refusedLocally.increment();
            return Uni.createFrom().item(remembered);
        }
        return redis.execute(
                        "EVAL",
                        BEGIN,
                        "2",
                        pairKey,
                        addressKey,
                        Long.toString(now),
                        Integer.toString(settings.loginMaxFailures()),
                        Integer.toString(settings.loginMaxFailuresPerAddress()),
                        Long.toString(settings.loginFailureWindow().toMillis()),
                        Long.toString(settings.loginLockDelay().toMillis()),
                        Long.toString(settings.loginMaxLockDelay().toMillis()))
                .map(Response::toLong)
                .map(locked -> {
                    if (locked != 0) {
                        locks.put(locked < 0 ? addressKey : pairKey, now + Math.abs(locked));
                    }
                    return Math.abs(locked);
                });
    }

    /** Forgets the locks this replica remembers (tests that clear the Redis keys between cases). */
    void forgetRememberedLocks() {
        locks.invalidateAll();
    }

    private long lockedFor(String key, long now) {
        Long until = locks.getIfPresent(key);
        return until == null ? 0 : until - now;
    }

    /** Takes back the attempt counted by {@link #beginAttempt} and clears the pair's failures. */
    public Uni<Void> recordSuccess(String username, String address) {
        return redis.execute("EVAL", SUCCEED, "2", pairKey(username, address), addressKey(address))
                .replaceWithVoid();
    }

    private static String pairKey(String username, String address) {
        // the address first and fixed-form: a user name may contain ':' but no address contains '|'
        return PAIR_PREFIX + address + "|" + username;
    }

    /**
     * @return a Redis {@code SCAN MATCH} pattern of the user's failure counts from every address (a user name holds no
     *         glob character: ids match {@code [A-Za-z0-9._:-]}); confirm each match with {@link #isPairKeyOf}
     */
    public static String pairKeysPattern(String username) {
        return PAIR_PREFIX + "*|" + username;
    }

    /** @return whether {@code key} is a failure count of {@code username} (from any address) */
    public static boolean isPairKeyOf(String key, String username) {
        return key.startsWith(PAIR_PREFIX) && key.endsWith("|" + username);
    }

    private static String addressKey(String address) {
        return PREFIX + "addr:" + address;
    }
}
