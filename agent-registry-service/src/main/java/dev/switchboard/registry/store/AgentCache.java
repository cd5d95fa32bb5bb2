package dev.switchboard.registry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.registry.Agent;
import dev.switchboard.registry.config.RegistryConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Redis read cache of {@code registry.agents} (PostgreSQL stays the truth), with writes in O(1):
 * <ul>
 * <li>{@code sb:registry:agent:{name}}: one agent's JSON, with a TTL;</li>
 * <li>{@code sb:registry:agents}: a hash with one field per agent (its JSON) and the field {@code ""} marking the
 *     hash as a complete list; with a TTL;</li>
 * <li>{@code sb:registry:agents:stale}: names whose field was dropped by a write and not filled again yet;</li>
 * <li>{@code sb:registry:written}: per name, the generation of its last write; {@code sb:registry:generation}, the
 *     counter every write increments; {@code sb:registry:written-floor}, below which {@code written} was pruned.</li>
 * </ul>
 * A writer, after its commit, runs one script: increment the generation, record it as the name's last write, delete
 * the agent's key, and (when the list is complete) drop the name's field and mark it stale. A reader of the list gets
 * the complete hash and the stale names in one script and reads only the stale agents from PostgreSQL; without a
 * complete hash (start, flush, TTL) it reads them all.
 * <p>
 * Race-free: a reader notes the generation {@code g} before reading PostgreSQL, so what it read is at least as new as
 * every write whose invalidation ran before {@code g}. It stores an agent only if the name's last write is not after
 * {@code g} (and {@code g} is neither below the pruning floor nor above the counter, which a Redis flush resets),
 * checked in the storing script; a full list is stored with
 * every name written after {@code g} dropped and marked stale in the same script. So a slow reader can never put back
 * a value older than a committed write. Redis errors on reads count as misses; writes never fail on Redis.
 */
@ApplicationScoped
public class AgentCache {

    /** Prefix of every key this service owns. */
    public static final String PREFIX = "sb:registry:";

    private static final Logger LOG = Logger.getLogger(AgentCache.class);
    private static final String GENERATION_KEY = PREFIX + "generation";
    private static final String ALL_KEY = PREFIX + "agents";
    private static final String STALE_KEY = PREFIX + "agents:stale";
    private static final String WRITTEN_KEY = PREFIX + "written";
    private static final String FLOOR_KEY = PREFIX + "written-floor";
    /** The field of {@value #ALL_KEY} that marks the hash as a complete list (agent names are never empty). */
    private static final String COMPLETE_FIELD = "";

    // KEYS: generation, written, agent key, all, stale; ARGV: name
    private static final String INVALIDATE = """
            local g = redis.call('INCR', KEYS[1])
            redis.call('HSET', KEYS[2], ARGV[1], g)
            redis.call('DEL', KEYS[3])
            if redis.call('HEXISTS', KEYS[4], '') == 1 then
              redis.call('HDEL', KEYS[4], ARGV[1])
              redis.call('SADD', KEYS[5], ARGV[1])
            end
            return g
            """;

    // KEYS: generation, all, stale; returns {generation, complete (0|1), stale names, hash fields and values}
    private static final String READ_LIST = """
            local g = redis.call('GET', KEYS[1]) or '0'
            if redis.call('HEXISTS', KEYS[2], '') == 0 then
              return {g, 0}
            end
            return {g, 1, redis.call('SMEMBERS', KEYS[3]), redis.call('HGETALL', KEYS[2])}
            """;

    // A reader's generation is usable if it is not below the pruning floor and not above the counter (a counter
    // that went back was lost with a Redis flush: the reader's number means nothing any more).
    // KEYS: floor, generation
    private static final String USABLE = """
            local g = tonumber(ARGV[1])
            if g < tonumber(redis.call('GET', KEYS[1]) or '0') then return 0 end
            if g > tonumber(redis.call('GET', KEYS[2]) or '0') then return 0 end
            """;

    // KEYS: floor, generation, written, agent key; ARGV: generation, json, ttl, name
    private static final String PUT_AGENT = USABLE + """
            if tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or '0') > g then return 0 end
            redis.call('SET', KEYS[4], ARGV[2], 'EX', ARGV[3])
            return 1
            """;

    // KEYS: floor, generation, written, all, stale; ARGV: generation, n, name1, json1 ('' = no such agent), ...
    private static final String PUT_SOME = USABLE + """
            if redis.call('HEXISTS', KEYS[4], '') == 0 then return 0 end
            local stored = 0
            for i = 0, tonumber(ARGV[2]) - 1 do
              local name = ARGV[3 + 2 * i]
              if tonumber(redis.call('HGET', KEYS[3], name) or '0') <= g then
                if ARGV[4 + 2 * i] ~= '' then redis.call('HSET', KEYS[4], name, ARGV[4 + 2 * i]) end
                redis.call('SREM', KEYS[5], name)
                stored = stored + 1
              end
            end
            return stored
            """;

    // KEYS: floor, generation, written, all, stale; ARGV: generation, ttl, name1, json1, ...
    // Stores the complete list, then drops (and marks stale) every name written after the reader's generation, and
    // prunes the older write records (raising the floor, so readers that started before this one store nothing).
    private static final String PUT_ALL = USABLE + """
            redis.call('DEL', KEYS[4], KEYS[5])
            redis.call('HSET', KEYS[4], '', ARGV[1])
            for i = 3, #ARGV, 2 do
              redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
            end
            local written = redis.call('HGETALL', KEYS[3])
            for i = 1, #written, 2 do
              if tonumber(written[i + 1]) > g then
                redis.call('HDEL', KEYS[4], written[i])
                redis.call('SADD', KEYS[5], written[i])
              else
                redis.call('HDEL', KEYS[3], written[i])
              end
            end
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('EXPIRE', KEYS[4], ARGV[2])
            return 1
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper mapper;
    private final String ttlSeconds;

    /** Builds the typed command group once and keeps the TTL. */
    public AgentCache(ReactiveRedisDataSource redis, ObjectMapper mapper, RegistryConfig config) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.mapper = mapper;
        this.ttlSeconds = Long.toString(Math.max(1, config.cacheTtl().toSeconds()));
    }

    /**
     * What the cache holds of the list of all agents.
     *
     * @param generation the generation read with it: pass it to {@link #storeAgents} / {@link #storeAllAgents}
     * @param complete   whether the cache holds a complete list (else {@code agents} and {@code stale} are empty)
     * @param agents     the cached agents that are current, sorted by name
     * @param stale      names changed since they were cached: read them from PostgreSQL (they may be gone)
     */
    public record ListView(String generation, boolean complete, List<Agent> agents, Set<String> stale) {

        /** @return whether the cached agents are the whole answer */
        public boolean current() {
            return complete && stale.isEmpty();
        }
    }

    /** @return the Redis key of one agent */
    public static String agentKey(String name) {
        return PREFIX + "agent:" + name;
    }

    /** @return the cached agent, or {@code null} on a miss (or a Redis error) */
    public Uni<Agent> findAgent(String name) {
        return values.get(agentKey(name))
                .map(json -> json == null ? null : decode(json))
                .onFailure()
                .recoverWithItem(e -> miss(e));
    }

    /**
     * @return the cached list (one script: generation, completeness, stale names, every field); on a Redis error an
     *         incomplete view with generation {@code "0"}
     */
    public Uni<ListView> listAgents() {
        return redis.execute("EVAL", READ_LIST, "3", GENERATION_KEY, ALL_KEY, STALE_KEY)
                .map(this::toView)
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.debugf("Cache read failed, using PostgreSQL: %s", e.getMessage());
                    return new ListView("0", false, List.of(), Set.of());
                });
    }

    /** @return the current cache generation, to pass to {@code store...} after reading PostgreSQL ({@code "0"} on error) */
    public Uni<String> generation() {
        return values.get(GENERATION_KEY)
                .map(g -> g == null ? "0" : g)
                .onFailure()
                .recoverWithItem("0");
    }

    /** Caches one agent unless it was written after {@code generation} was read. Never fails. */
    public Uni<Void> storeAgent(Agent agent, String generation) {
        String json = encode(agent);
        if (json == null) {
            return Uni.createFrom().voidItem();
        }
        return run(
                List.of(
                        "EVAL",
                        PUT_AGENT,
                        "4",
                        FLOOR_KEY,
                        GENERATION_KEY,
                        WRITTEN_KEY,
                        agentKey(agent.name()),
                        generation,
                        json,
                        ttlSeconds,
                        agent.name()),
                agent.name());
    }

    /**
     * Fills the fields of the stale names read from PostgreSQL (a name without a row there is just no longer stale),
     * each unless it was written after {@code generation}; only while the cached list is complete. Never fails.
     *
     * @param names the names that were read
     * @param found the agents PostgreSQL returned for them
     */
    public Uni<Void> storeAgents(Collection<String> names, List<Agent> found, String generation) {
        Map<String, Agent> byName = new HashMap<>();
        found.forEach(a -> byName.put(a.name(), a));
        List<String> args = new ArrayList<>(List.of(
                "EVAL",
                PUT_SOME,
                "5",
                FLOOR_KEY,
                GENERATION_KEY,
                WRITTEN_KEY,
                ALL_KEY,
                STALE_KEY,
                generation,
                Integer.toString(names.size())));
        for (String name : names) {
            Agent agent = byName.get(name);
            String json = agent == null ? "" : encode(agent);
            if (json == null) {
                return Uni.createFrom().voidItem();
            }
            args.add(name);
            args.add(json);
        }
        return run(args, "stale agents");
    }

    /**
     * Caches the complete list read from PostgreSQL after {@code generation} was read; the names written since then
     * are left out and marked stale. Never fails.
     */
    public Uni<Void> storeAllAgents(List<Agent> agents, String generation) {
        List<String> args = new ArrayList<>(4 + 2 * agents.size() + 4);
        args.addAll(List.of(
                "EVAL",
                PUT_ALL,
                "5",
                FLOOR_KEY,
                GENERATION_KEY,
                WRITTEN_KEY,
                ALL_KEY,
                STALE_KEY,
                generation,
                ttlSeconds));
        for (Agent agent : agents) {
            String json = encode(agent);
            if (json == null) {
                return Uni.createFrom().voidItem();
            }
            args.add(agent.name());
            args.add(json);
        }
        return run(args, ALL_KEY);
    }

    /**
     * Invalidates after a committed write of {@code name}, in O(1): bumps the generation, records it as the name's
     * last write, deletes the agent's key and drops its field of the list (marking it stale). Never fails (a failure
     * is logged; entries then expire with their TTL).
     */
    public Uni<Void> invalidate(String name) {
        return redis.execute(
                        "EVAL", INVALIDATE, "5", GENERATION_KEY, WRITTEN_KEY, agentKey(name), ALL_KEY, STALE_KEY, name)
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> LOG.warnf("Could not invalidate cached agent %s: %s", name, e.getMessage()))
                .onFailure()
                .recoverWithNull();
    }

    private Uni<Void> run(List<String> command, String what) {
        return redis.execute(command.get(0), command.subList(1, command.size()).toArray(String[]::new))
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> LOG.debugf("Could not cache %s: %s", what, e.getMessage()))
                .onFailure()
                .recoverWithNull();
    }

    private ListView toView(Response response) {
        String generation = response.get(0).toString();
        if (response.get(1).toInteger() == 0) {
            return new ListView(generation, false, List.of(), Set.of());
        }
        Set<String> stale = new LinkedHashSet<>();
        response.get(2).forEach(name -> stale.add(name.toString()));
        Response fields = response.get(3);
        List<Agent> agents = new ArrayList<>(fields.size() / 2);
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (COMPLETE_FIELD.equals(fields.get(i).toString())) {
                continue;
            }
            Agent agent = decode(fields.get(i + 1).toString());
            if (agent == null) { // unreadable entry: treat the list as missing
                return new ListView(generation, false, List.of(), Set.of());
            }
            agents.add(agent);
        }
        agents.sort(Comparator.comparing(Agent::name));
        return new ListView(generation, true, agents, stale);
    }

    private String encode(Agent agent) {
        try {
            return mapper.writeValueAsString(agent);
        } catch (JsonProcessingException e) {
            LOG.debugf("Could not encode agent %s: %s", agent.name(), e.getMessage());
            return null;
        }
    }

    private Agent decode(String json) {
        try {
            return mapper.readValue(json, Agent.class);
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
