package dev.switchboard.state.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.state.DependencyUnavailableException;
import dev.switchboard.state.Session;
import dev.switchboard.state.config.StateConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The Redis copy of sessions: hash {@code sb:state:session:{id}} (fields {@code version}, {@code checkpoint} =
 * the id of the session's latest checkpoint, {@code session} = JSON) and set {@code sb:state:user:{user_id}} of
 * session ids. Both keys have a sliding TTL refreshed on every read and write. The copy is a cache: PostgreSQL
 * checkpoints are the source of truth.
 *
 * <p>Each replica also keeps the sessions it parsed or wrote in memory (bounded by messages held), and a read
 * sends the checkpoint id it holds: when Redis's copy has the same checkpoint id (checkpoint ids are unique per
 * version, so the content is the same), Redis answers without the JSON and nothing is parsed. Redis stays the
 * shared truth of "which version is current", so several replicas never serve each other's stale copies.
 *
 * <p>Every command is bounded by {@code REDIS_TIMEOUT}: a command that fails to reach Redis, or gets no answer in
 * time (Redis stalled, or the network to it), fails with {@link DependencyUnavailableException} for {@code redis},
 * which the service turns into a read from PostgreSQL.
 */
@ApplicationScoped
public class SessionStore {

    /** Prefix of every key this service owns. */
    public static final String PREFIX = "sb:state:";

    /**
     * Writes the copy only if the stored one is older, so a slow writer never replaces a newer copy; always
     * refreshes the TTLs and indexes the session for its user. KEYS: session key [, user key]. ARGV: version,
     * JSON, ttl seconds, session id. Returns 1 when written, 0 when a newer copy was kept.
     */
    private static final String SAVE_SCRIPT = """
            local current = redis.call('HGET', KEYS[1], 'version')
            local written = 0
            if (not current) or tonumber(current) < tonumber(ARGV[1]) then
              redis.call('HSET', KEYS[1], 'version', ARGV[1], 'session', ARGV[2], 'checkpoint', ARGV[5])
              written = 1
            end
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            if #KEYS > 1 then
              redis.call('SADD', KEYS[2], ARGV[4])
              redis.call('EXPIRE', KEYS[2], ARGV[3])
            end
            return written
            """;

    /**
     * Reads the session JSON and slides its TTL. KEYS: session key. ARGV: ttl seconds, the checkpoint id and the
     * version of the caller's parsed copy (or empty). Returns 1 when that copy is current (both match; the version
     * too, in case a writer that does not know the checkpoint field replaced the copy), else the JSON (nil when
     * missing).
     */
    private static final String READ_SCRIPT = """
            if ARGV[2] ~= '' and redis.call('HGET', KEYS[1], 'checkpoint') == ARGV[2]
                and redis.call('HGET', KEYS[1], 'version') == ARGV[3] then
              redis.call('EXPIRE', KEYS[1], ARGV[1])
              return 1
            end
            local json = redis.call('HGET', KEYS[1], 'session')
            if json then
              redis.call('EXPIRE', KEYS[1], ARGV[1])
            end
            return json
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactiveKeyCommands<String> keys;
    private final ReactiveSetCommands<String, String> sets;
    private final ObjectMapper mapper;
    private final StateConfig config;
    /** Parsed sessions by id, weighed by their message count (at most 200,000 messages held). */
    private final Cache<String, Session> parsed = Caffeine.newBuilder()
            .maximumWeight(200_000)
            .<String, Session>weigher((id, session) ->
                    1 + (session.messages() == null ? 0 : session.messages().size()))
            .build();

    /** Builds the typed command groups once. */
    public SessionStore(ReactiveRedisDataSource redis, ObjectMapper mapper, StateConfig config) {
        this.redis = redis;
        this.keys = redis.key(String.class);
        this.sets = redis.set(String.class, String.class);
        this.mapper = mapper;
        this.config = config;
    }

    /** @return the Redis key of a session's copy */
    public static String sessionKey(String sessionId) {
        return PREFIX + "session:" + sessionId;
    }

    /** @return the Redis key of a user's session index */
    public static String userKey(String userId) {
        return PREFIX + "user:" + userId;
    }

    /**
     * Reads a session copy and slides the TTL of it and of its user's index.
     *
     * @return the session, or {@code null} item when Redis has no copy
     */
    public Uni<Session> findSession(String sessionId) {
        return findSession(sessionId, true);
    }

    /**
     * Reads a session copy and slides its TTL; with {@code slideUserIndex} also its user's index (a write that
     * follows refreshes the index anyway, so writers pass {@code false} and save a round trip).
     *
     * @return the session, or {@code null} item when Redis has no copy
     */
    public Uni<Session> findSession(String sessionId, boolean slideUserIndex) {
        Session known = parsed.getIfPresent(sessionId);
        String knownCheckpoint = known == null || known.lastCheckpointId() == null ? "" : known.lastCheckpointId();
        String knownVersion = known == null ? "" : Long.toString(known.version());
        return bounded(redis.execute(
                        "EVAL", READ_SCRIPT, "1", sessionKey(sessionId), ttl(), knownCheckpoint, knownVersion))
                .map(response -> {
                    if (response == null) {
                        parsed.invalidate(sessionId);
                        return null;
                    }
                    if (response.type() == ResponseType.NUMBER && known != null) {
                        return known;
                    }
                    Session session = parse(response.toString());
                    parsed.put(sessionId, session);
                    return session;
                })
                .call(session -> !slideUserIndex || session == null || session.userId() == null
                        ? Uni.createFrom().voidItem()
                        : bounded(keys.expire(userKey(session.userId()), config.ttl()))
                                .replaceWithVoid());
    }

    /**
     * Writes a session copy unless Redis already holds the same or a newer version; refreshes both TTLs.
     *
     * @return {@code true} when this copy was written
     */
    public Uni<Boolean> saveSession(Session session) {
        return saveSession(session, null);
    }

    /**
     * Writes a session copy already serialised with {@link #serialise(Session)}, unless Redis holds the same or a
     * newer version; refreshes both TTLs.
     *
     * @param json the session's JSON, or {@code null} to serialise here
     * @return {@code true} when this copy was written
     */
    public Uni<Boolean> saveSession(Session session, String json) {
        Session stored = session.withRecovered(false);
        String body = json != null ? json : serialise(stored);
        List<String> args = new ArrayList<>();
        args.add(SAVE_SCRIPT);
        if (session.userId() == null) {
            args.addAll(List.of("1", sessionKey(session.sessionId())));
        } else {
            args.addAll(List.of("2", sessionKey(session.sessionId()), userKey(session.userId())));
        }
        args.addAll(List.of(
                Long.toString(session.version()),
                body,
                ttl(),
                session.sessionId(),
                session.lastCheckpointId() == null ? "" : session.lastCheckpointId()));
        return bounded(redis.execute("EVAL", args.toArray(String[]::new))).map(r -> {
            boolean written = r != null && r.toInteger() == 1;
            if (written) {
                parsed.put(session.sessionId(), stored);
            }
            return written;
        });
    }

    /** Drops a session copy (e.g. after a failed write so the next read goes to PostgreSQL). */
    public Uni<Void> evictSession(String sessionId) {
        parsed.invalidate(sessionId);
        return bounded(keys.del(sessionKey(sessionId))).replaceWithVoid();
    }

    /**
     * Deletes a session copy and removes it from the given users' indexes.
     *
     * @return {@code true} when a copy existed
     */
    public Uni<Boolean> deleteSession(String sessionId, Collection<String> userIds) {
        parsed.invalidate(sessionId);
        return bounded(keys.del(sessionKey(sessionId)))
                .call(() -> userIds.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : Uni.join()
                                .all(userIds.stream()
                                        .map(user -> bounded(sets.srem(userKey(user), sessionId)))
                                        .toList())
                                .andFailFast()
                                .replaceWithVoid())
                .map(count -> count > 0);
    }

    /**
     * Deletes a user's session index (an erasure; the sessions themselves are deleted one by one).
     *
     * @return the number of keys deleted (0 or 1)
     */
    public Uni<Integer> deleteUserIndex(String userId) {
        return keys.del(userKey(userId));
    }

    /** @return the ids in a user's index (empty when missing), sliding its TTL */
    public Uni<Set<String>> findUserSessionIds(String userId) {
        return bounded(sets.smembers(userKey(userId)))
                .call(ids -> ids.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : bounded(keys.expire(userKey(userId), config.ttl())).replaceWithVoid());
    }

    /** Removes a stale id from a user's index. */
    public Uni<Void> removeFromUserIndex(String userId, String sessionId) {
        return bounded(sets.srem(userKey(userId), sessionId)).replaceWithVoid();
    }

    /**
     * One Redis command, bounded by {@code REDIS_TIMEOUT}; any failure of it (refused or dropped connection, error
     * reply, no answer in time) becomes {@link DependencyUnavailableException} for {@code redis}. A command that timed
     * out may still be carried out once Redis answers again; every command here is safe to arrive late (the save
     * script never replaces a newer copy).
     */
    private <T> Uni<T> bounded(Uni<T> command) {
        return command.ifNoItem()
                .after(config.redisTimeout())
                .failWith(() -> new TimeoutException(
                        "no answer from Redis within " + config.redisTimeout().toMillis() + " ms"))
                .onFailure()
                .transform(
                        failure -> new DependencyUnavailableException(DependencyUnavailableException.REDIS, failure));
    }

    private String ttl() {
        return Long.toString(config.ttl());
    }

    private Session parse(String json) {
        try {
            return mapper.readValue(json, Session.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable session copy in Redis", e);
        }
    }

    /**
     * Serialises a session as stored (in Redis and in its checkpoint).
     *
     * @throws IllegalStateException when Jackson cannot write it
     */
    public String serialise(Session session) {
        try {
            return mapper.writeValueAsString(session.withRecovered(false));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise session", e);
        }
    }
}
