package dev.switchboard.registry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.registry.Agent;
import dev.switchboard.registry.config.RegistryConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Redis read cache of {@code registry.agents} (PostgreSQL stays the truth): {@code sb:registry:agent:{name}}
 * holds one agent's JSON, {@code sb:registry:agents} the JSON array of all agents, both with a TTL.
 * <p>
 * Writers invalidate after their commit: they bump {@code sb:registry:generation} and delete the keys.
 * Readers that missed note the generation before reading PostgreSQL and store what they read only if the
 * generation is unchanged (one Lua script), so a slow reader can never put back a value older than a
 * committed write. Redis errors on reads count as misses.
 */
@ApplicationScoped
public class AgentCache {

    /** Prefix of every key this service owns. */
    public static final String PREFIX = "sb:registry:";

    private static final Logger LOG = Logger.getLogger(AgentCache.class);
    private static final String GENERATION_KEY = PREFIX + "generation";
    private static final String ALL_KEY = PREFIX + "agents";
    private static final String PUT_IF_CURRENT = """
            local current = redis.call('GET', KEYS[1]) or '0'
            if current == ARGV[1] then
              redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
              return 1
            end
            return 0
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final ObjectMapper mapper;
    private final String ttlSeconds;

    /** Builds the typed command groups once. */
    public AgentCache(ReactiveRedisDataSource redis, ObjectMapper mapper, RegistryConfig config) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.mapper = mapper;
        this.ttlSeconds = Long.toString(Math.max(1, config.cacheTtl().toSeconds()));
    }

    /** @return the Redis key of one agent */
    public static String agentKey(String name) {
        return PREFIX + "agent:" + name;
    }

    /** @return the cached agent, or {@code null} on a miss (or a Redis error) */
    public Uni<Agent> findAgent(String name) {
        return values.get(agentKey(name))
                .map(json -> json == null ? null : decode(json, new TypeReference<Agent>() { }))
                .onFailure().recoverWithItem(e -> miss(e));
    }

    /** @return all cached agents sorted by name, or {@code null} on a miss (or a Redis error) */
    public Uni<List<Agent>> listAgents() {
        return values.get(ALL_KEY)
                .map(json -> json == null ? null : decode(json, new TypeReference<List<Agent>>() { }))
                .onFailure().recoverWithItem(e -> miss(e));
    }

    /** @return the current cache generation, to pass to {@code store...} after reading PostgreSQL ({@code "0"} on error) */
    public Uni<String> generation() {
        return values.get(GENERATION_KEY).map(g -> g == null ? "0" : g)
                .onFailure().recoverWithItem("0");
    }

    /** Caches one agent unless a write happened since {@code generation} was read. Never fails. */
    public Uni<Void> storeAgent(Agent agent, String generation) {
        return putIfCurrent(agentKey(agent.name()), agent, generation);
    }

    /** Caches the list of all agents unless a write happened since {@code generation} was read. Never fails. */
    public Uni<Void> storeAgents(List<Agent> agents, String generation) {
        return putIfCurrent(ALL_KEY, agents, generation);
    }

    /**
     * Invalidates after a committed write of {@code name}: bumps the generation, deletes the agent's key and
     * the list. Never fails (a failure is logged; entries then expire with their TTL).
     */
    public Uni<Void> invalidate(String name) {
        return values.incr(GENERATION_KEY)
                .chain(() -> keys.del(agentKey(name), ALL_KEY))
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Could not invalidate cached agent %s: %s", name, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** @return {@code PONG} when Redis answers */
    public Uni<String> ping() {
        return redis.execute("PING").map(Object::toString);
    }

    private Uni<Void> putIfCurrent(String key, Object value, String generation) {
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().voidItem();
        }
        return redis.execute("EVAL", PUT_IF_CURRENT, "2", GENERATION_KEY, key, generation, json, ttlSeconds)
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.debugf("Could not cache %s: %s", key, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private <T> T decode(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            LOG.debugf("Ignoring unreadable cache entry: %s", e.getMessage());
            return null;
        }
    }

    private static <T> T miss(Throwable e) {
        LOG.debugf("Cache read failed, using PostgreSQL: %s", e.getMessage());
        return null;
    }
}
