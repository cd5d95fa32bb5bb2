package dev.switchboard.supervisor.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.peers.DependencyUnavailableException;
import dev.switchboard.supervisor.sessions.RedisScript;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The Redis side of idempotent turns: one hash per caller and key, {@code sb:supervisor:idempotency:<sha256 of caller
 * and key>} with {@code state} ({@code running}, {@code done}), the request's {@code fingerprint}, the running
 * request's {@code owner} and, once done, the {@code answer} (JSON of a {@link StoredAnswer}).
 *
 * <p>A running key lives one session-lease TTL ({@code SESSION_LEASE_TTL}) and is renewed every third of it while its
 * request runs, so a replica that dies leaves it for at most that long; a done key lives {@code IDEMPOTENCY_TTL}
 * (24 h). Redis is the fast path and the "in progress" signal only: what makes a turn happen once is the turn id the
 * key derives, which state-service records in the session with the turn.
 *
 * <p>Metrics: {@code switchboard_idempotency_replays_total{source=redis|state-service|session}} (answers given again)
 * and {@code switchboard_idempotency_rejections_total{reason=in-use|reused}} (409 and 422).
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** Prefix of the keys this class writes. */
    public static final String PREFIX = SessionLeaseManager.PREFIX + "idempotency:";

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    /** KEYS: the key. ARGV: fingerprint, owner, running ttl ms. Returns {"claimed"} or {state, fingerprint, answer}. */
    private static final RedisScript BEGIN = new RedisScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HSET', KEYS[1], 'state', 'running', 'fingerprint', ARGV[1], 'owner', ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              return {'claimed'}
            end
            return redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'answer')
            """);

    /** KEYS: the key. ARGV: owner, running ttl ms. Extends a running key its owner still holds. */
    private static final RedisScript RENEW = new RedisScript("""
            if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HGET', KEYS[1], 'state') == 'running' then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """);

    /** KEYS: the key. ARGV: fingerprint, answer JSON, ttl ms. Whoever stored the turn records its answer. */
    private static final RedisScript COMPLETE = new RedisScript("""
            redis.call('HSET', KEYS[1], 'state', 'done', 'fingerprint', ARGV[1], 'answer', ARGV[2])
            redis.call('HDEL', KEYS[1], 'owner')
            return redis.call('PEXPIRE', KEYS[1], ARGV[3])
            """);

    /** KEYS: the key. ARGV: owner. Frees a running key its owner still holds (its turn stored nothing). */
    private static final RedisScript ABANDON = new RedisScript("""
            if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HGET', KEYS[1], 'state') == 'running' then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    /** What {@link #begin} found. */
    enum State {
        /** Nobody had the key: the caller now runs the turn. */
        CLAIMED,
        /** Another request with the key is running (or its replica died within the last lease TTL). */
        RUNNING,
        /** A request with the key was answered; {@link Marker#answer()} holds it. */
        DONE
    }

    /**
     * The key's state.
     *
     * @param state       claimed, running or done
     * @param fingerprint the fingerprint of the request that holds the key ({@code null} when claimed)
     * @param answer      the stored answer (done), else {@code null}
     */
    record Marker(State state, String fingerprint, StoredAnswer answer) {}

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final long runningTtlMs;
    private final long ttlMs;

    IdempotencyKeys(
            ReactiveRedisDataSource redis,
            Vertx vertx,
            ObjectMapper json,
            MeterRegistry meters,
            SupervisorConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.json = json;
        this.meters = meters;
        this.runningTtlMs = Math.max(300, config.lease().ttl().toMillis());
        this.ttlMs = Math.max(1000, config.idempotency().ttl().toMillis());
    }

    /** @return how long a done key is kept */
    Duration ttl() {
        return Duration.ofMillis(ttlMs);
    }

    /** @return the seconds a client should wait before resending a request whose key is running */
    long retryAfterSeconds() {
        return Math.max(1, (runningTtlMs + 999) / 1000);
    }

    /**
     * Claims {@code key} for a request, or reports who holds it.
     *
     * @param key   the bound key (with its fingerprint)
     * @param owner this request's id
     * @return the marker; fails with 503 {@code dependency-unavailable} when Redis fails
     */
    Uni<Marker> begin(IdempotencyKey key, String owner) {
        return BEGIN.run(redis, List.of(redisKey(key)), key.fingerprint(), owner, Long.toString(runningTtlMs))
                .onFailure()
                .transform(failure -> new DependencyUnavailableException("redis", failure))
                .map(this::marker);
    }

    /**
     * Keeps a claimed key alive while its request runs, renewing it every third of its TTL.
     *
     * @return the timer, for {@link #stopKeepingAlive}
     */
    long keepAlive(IdempotencyKey key, String owner) {
        String redisKey = redisKey(key);
        return vertx.setPeriodic(
                Math.max(100, runningTtlMs / 3),
                id -> RENEW.run(redis, List.of(redisKey), owner, Long.toString(runningTtlMs))
                        .subscribe()
                        .with(ignored -> {}, failure -> LOG.debugf("Could not renew idempotency key: %s", failure)));
    }

    /** Stops {@link #keepAlive}. */
    void stopKeepingAlive(long timer) {
        vertx.cancelTimer(timer);
    }

    /**
     * Records the answer of the key's stored turn for {@link #ttl()}. Never fails: without it a repeat finds the
     * answer in the session.
     */
    Uni<Void> complete(IdempotencyKey key, StoredAnswer answer) {
        String answerJson;
        try {
            answerJson = json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            LOG.warnf("Could not serialise the answer of an idempotent turn: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return COMPLETE.run(redis, List.of(redisKey(key)), key.fingerprint(), answerJson, Long.toString(ttlMs))
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "Could not record the answer of idempotent turn %s in Redis (its session still has it): %s",
                        key.turnId(), failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Frees the key when its request stored nothing, so a retry runs the turn. Never fails (the key then expires). */
    Uni<Void> abandon(IdempotencyKey key, String owner) {
        return ABANDON.run(redis, List.of(redisKey(key)), owner)
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "Could not free idempotency key of turn %s (it expires in %d ms): %s",
                        key.turnId(), runningTtlMs, failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Counts an answer given again, by where it came from ({@code redis}, {@code state-service}, {@code session}). */
    void replayed(String source) {
        Counter.builder("switchboard.idempotency.replays")
                .description("Chat answers given again to a repeated request with the same idempotency key")
                .tag("source", source)
                .register(meters)
                .increment();
    }

    /** Counts a refused request ({@code in-use}: 409, {@code reused}: 422). */
    void rejected(String reason) {
        Counter.builder("switchboard.idempotency.rejections")
                .description("Chat requests refused for their idempotency key")
                .tag("reason", reason)
                .register(meters)
                .increment();
    }

    /** @return the Redis key of {@code key} */
    static String redisKey(IdempotencyKey key) {
        return PREFIX + key.digest();
    }

    private Marker marker(Response reply) {
        String state = reply.get(0) == null ? null : reply.get(0).toString();
        if ("claimed".equals(state)) {
            return new Marker(State.CLAIMED, null, null);
        }
        String fingerprint =
                reply.size() > 1 && reply.get(1) != null ? reply.get(1).toString() : null;
        String answer = reply.size() > 2 && reply.get(2) != null ? reply.get(2).toString() : null;
        if ("done".equals(state) && answer != null) {
            try {
                return new Marker(State.DONE, fingerprint, json.readValue(answer, StoredAnswer.class));
            } catch (JsonProcessingException e) {
                LOG.warnf("Unreadable answer of an idempotency key; treating the key as running: %s", e.getMessage());
            }
        }
        return new Marker(State.RUNNING, fingerprint, null);
    }
}
