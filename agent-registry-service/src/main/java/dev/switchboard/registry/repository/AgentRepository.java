package dev.switchboard.registry.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.switchboard.registry.Agent;
import dev.switchboard.registry.AgentDefinition;
import dev.switchboard.registry.AgentVersion;
import dev.switchboard.registry.AgentVersionNotFoundException;
import dev.switchboard.registry.ModelSettings;
import dev.switchboard.registry.RolloutConflictException;
import dev.switchboard.registry.VersionDefinition;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain SQL on {@code registry.agents} through the reactive pool. Every write is one statement, so it is
 * atomic and committed when its {@link Uni} completes; concurrent writers of one name serialise on the
 * row lock and each sees the latest committed row (READ COMMITTED), which is what keeps the revision exact.
 */
@ApplicationScoped
public class AgentRepository {

    private static final String COLUMNS = "name, description, capabilities, version, status, kind, prompt_id, model,"
            + " tools, endpoint, examples, metadata, is_default, revision, created_at, updated_at, last_heartbeat";

    private static final String A_COLUMNS = Arrays.stream(COLUMNS.split(","))
            .map(c -> "a." + c.strip())
            .reduce((x, y) -> x + ", " + y)
            .orElseThrow();

    /** The agent's canary versions as one jsonb array (every statement aliases registry.agents as {@code a}). */
    private static final String VERSIONS = "(SELECT COALESCE(jsonb_agg(jsonb_build_object('version', v.version,"
            + " 'weight', v.weight, 'endpoint', v.endpoint, 'prompt_id', v.prompt_id, 'model', v.model,"
            + " 'created_at', to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
            + " 'updated_at', to_char(v.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))"
            + " ORDER BY v.version), '[]'::jsonb) FROM registry.agent_versions v WHERE v.agent_name = a.name) AS versions";

    /** What every read and write returns: the row and its versions. */
    private static final String RETURNED = COLUMNS + ", " + VERSIONS;

    /** Typed parameters $1..$13 shared by the register, update and seed statements. */
    private static final String CONTENT = "($2::varchar, $3::text[], $4::varchar, COALESCE($5::varchar, a.status),"
            + " $6::varchar, $7::varchar, $8::jsonb, $9::text[], $10::varchar, $11::text[], $12::jsonb, $13::boolean)";

    private static final String ROW =
            "(a.description, a.capabilities, a.version, a.status, a.kind, a.prompt_id, a.model,"
                    + " a.tools, a.endpoint, a.examples, a.metadata, a.is_default)";

    private static final String INSERT = "INSERT INTO registry.agents AS a (name, description, capabilities, version,"
            + " status, kind, prompt_id, model, tools, endpoint, examples, metadata, is_default, source, seed_hash)"
            + " VALUES ($1, $2::varchar, $3::text[], $4::varchar, COALESCE($5::varchar, 'active'), $6::varchar,"
            + " $7::varchar, $8::jsonb, $9::text[], $10::varchar, $11::text[], $12::jsonb, $13::boolean, ";

    private static final String SET_CONTENT =
            " description = EXCLUDED.description, capabilities = EXCLUDED.capabilities,"
                    + " version = EXCLUDED.version, kind = EXCLUDED.kind, prompt_id = EXCLUDED.prompt_id, model = EXCLUDED.model,"
                    + " tools = EXCLUDED.tools, endpoint = EXCLUDED.endpoint, examples = EXCLUDED.examples,"
                    + " metadata = EXCLUDED.metadata, is_default = EXCLUDED.is_default, revision = a.revision + 1,"
                    + " updated_at = now()";

    // Idempotent register: the WHERE makes an identical body a no-op (no row returned, revision untouched).
    private static final String REGISTER = INSERT + "'api', NULL)"
            + " ON CONFLICT (name) DO UPDATE SET" + SET_CONTENT
            + ", status = COALESCE($5::varchar, a.status), source = 'api'"
            + " WHERE " + ROW + " IS DISTINCT FROM " + CONTENT
            + " RETURNING " + RETURNED + ", (xmax = 0) AS inserted";

    // Seeding: only seed-managed rows whose file content changed are updated; status stays runtime state.
    private static final String SEED = INSERT + "'seed', $14::varchar)"
            + " ON CONFLICT (name) DO UPDATE SET" + SET_CONTENT + ", seed_hash = EXCLUDED.seed_hash"
            + " WHERE a.source = 'seed' AND a.seed_hash IS DISTINCT FROM EXCLUDED.seed_hash"
            + " RETURNING " + RETURNED + ", (xmax = 0) AS inserted";

    private static final String UPDATE = "UPDATE registry.agents AS a SET description = $2::varchar,"
            + " capabilities = $3::text[], version = $4::varchar, status = COALESCE($5::varchar, a.status),"
            + " kind = $6::varchar, prompt_id = $7::varchar, model = $8::jsonb, tools = $9::text[],"
            + " endpoint = $10::varchar, examples = $11::text[], metadata = $12::jsonb, is_default = $13::boolean,"
            + " source = 'api', revision = a.revision + 1, updated_at = now()"
            + " WHERE a.name = $1 AND " + ROW + " IS DISTINCT FROM " + CONTENT
            + " RETURNING " + RETURNED;

    private static final String CHANGE_STATUS =
            "UPDATE registry.agents AS a SET status = $2, revision = a.revision + 1,"
                    + " updated_at = now() WHERE a.name = $1 AND a.status <> $2 RETURNING " + RETURNED;

    // Records the heartbeat; an unhealthy agent becomes active again (a real change: revision + 1).
    private static final String HEARTBEAT =
            "WITH prev AS (SELECT name, status FROM registry.agents WHERE name = $1 FOR UPDATE)"
                    + " UPDATE registry.agents AS a SET last_heartbeat = now(),"
                    + " status = CASE WHEN prev.status = 'unhealthy' THEN 'active' ELSE a.status END,"
                    + " revision = CASE WHEN prev.status = 'unhealthy' THEN a.revision + 1 ELSE a.revision END,"
                    + " updated_at = CASE WHEN prev.status = 'unhealthy' THEN now() ELSE a.updated_at END"
                    + " FROM prev WHERE a.name = prev.name"
                    + " RETURNING " + A_COLUMNS + ", " + VERSIONS + ", prev.status = 'unhealthy' AS restored";

    // One conditional UPDATE: idempotent when several replicas run the monitor at once.
    private static final String MARK_SILENT = "UPDATE registry.agents AS a SET status = 'unhealthy',"
            + " revision = a.revision + 1, updated_at = now() WHERE a.kind = 'remote' AND a.status = 'active'"
            + " AND GREATEST(a.last_heartbeat, a.updated_at) < now() - make_interval(secs => $1::double precision)"
            + " RETURNING " + RETURNED;

    private final Pool pool;
    private final ObjectMapper mapper;

    /** Injects the reactive pool and the house {@link ObjectMapper} (snake_case jsonb). */
    public AgentRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** @return the agent named {@code name}, or {@code null} */
    public Uni<Agent> findAgent(String name) {
        return pool.preparedQuery("SELECT " + RETURNED + " FROM registry.agents a WHERE a.name = $1")
                .execute(Tuple.of(name))
                .map(rows -> rows.size() == 0 ? null : toAgent(rows.iterator().next()));
    }

    /** @return {@code seed} or {@code api} for the agent named {@code name}, or {@code null} */
    public Uni<String> findSource(String name) {
        return pool.preparedQuery("SELECT source FROM registry.agents WHERE name = $1")
                .execute(Tuple.of(name))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("source"));
    }

    /** @return the agents of those names that exist, sorted by name */
    public Uni<List<Agent>> findAgents(java.util.Collection<String> names) {
        return pool.preparedQuery(
                        "SELECT " + RETURNED + " FROM registry.agents a WHERE a.name = ANY($1) ORDER BY a.name")
                .execute(Tuple.of(names.toArray(String[]::new)))
                .map(this::toAgents);
    }

    /** @return every agent, sorted by name */
    public Uni<List<Agent>> listAgents() {
        return pool.query("SELECT " + RETURNED + " FROM registry.agents a ORDER BY a.name")
                .execute()
                .map(this::toAgents);
    }

    /**
     * Idempotent upsert by name (source becomes {@code api} on a change). Race-free: concurrent calls end in
     * one row whose revision counts the calls that really changed it.
     *
     * @param def a normalized, validated definition
     * @return CREATED, UPDATED, or UNCHANGED with the current row
     */
    public Uni<AgentWrite> registerAgent(AgentDefinition def) {
        return upsert(REGISTER, contentTuple(def.name(), def), def.name(), 0);
    }

    /**
     * Seeds one agent: inserted if absent; updated if the row is seed-managed and {@code seedHash} differs;
     * an api-managed row is never touched.
     *
     * @return CREATED, UPDATED, or UNCHANGED (also for api-managed rows) with the current row
     */
    public Uni<AgentWrite> seedAgent(AgentDefinition def, String seedHash) {
        return upsert(SEED, contentTuple(def.name(), def).addString(seedHash), def.name(), 0);
    }

    private Uni<AgentWrite> upsert(String sql, Tuple params, String name, int attempt) {
        return pool.preparedQuery(sql).execute(params).chain(rows -> {
            if (rows.size() > 0) {
                Row row = rows.iterator().next();
                return Uni.createFrom()
                        .item(new AgentWrite(
                                toAgent(row),
                                row.getBoolean("inserted") ? AgentWrite.Change.CREATED : AgentWrite.Change.UPDATED));
            }
            // No change: return the current row. If it was deleted in between, try again.
            return findAgent(name)
                    .chain(current -> current != null || attempt >= 3
                            ? Uni.createFrom()
                                    .item(current == null ? null : new AgentWrite(current, AgentWrite.Change.UNCHANGED))
                            : upsert(sql, params, name, attempt + 1));
        });
    }

    /**
     * Replaces the definition of an existing agent (source becomes {@code api} on a change).
     *
     * @return UPDATED or UNCHANGED with the current row; {@code null} if no such agent
     */
    public Uni<AgentWrite> updateAgent(String name, AgentDefinition def) {
        return pool.preparedQuery(UPDATE)
                .execute(contentTuple(name, def))
                .chain(rows -> rows.size() > 0
                        ? Uni.createFrom()
                                .item(new AgentWrite(toAgent(rows.iterator().next()), AgentWrite.Change.UPDATED))
                        : findAgent(name)
                                .map(current ->
                                        current == null ? null : new AgentWrite(current, AgentWrite.Change.UNCHANGED)));
    }

    /** @return the deleted row (its last revision), or {@code null} if there was no such agent */
    public Uni<Agent> deleteAgent(String name) {
        return pool.preparedQuery("DELETE FROM registry.agents AS a WHERE a.name = $1 RETURNING " + RETURNED)
                .execute(Tuple.of(name))
                .map(rows -> rows.size() == 0 ? null : toAgent(rows.iterator().next()));
    }

    /** @return UPDATED if the status changed, UNCHANGED if it already was {@code status}; {@code null} if no such agent */
    public Uni<AgentWrite> changeStatus(String name, String status) {
        return pool.preparedQuery(CHANGE_STATUS)
                .execute(Tuple.of(name, status))
                .chain(rows -> rows.size() > 0
                        ? Uni.createFrom()
                                .item(new AgentWrite(toAgent(rows.iterator().next()), AgentWrite.Change.UPDATED))
                        : findAgent(name)
                                .map(current ->
                                        current == null ? null : new AgentWrite(current, AgentWrite.Change.UNCHANGED)));
    }

    /**
     * Sets {@code last_heartbeat = now()}; an {@code unhealthy} agent becomes {@code active}.
     *
     * @return UPDATED if the status was restored, else UNCHANGED (the heartbeat itself is still written);
     *         {@code null} if no such agent
     */
    public Uni<AgentWrite> recordHeartbeat(String name) {
        return pool.preparedQuery(HEARTBEAT).execute(Tuple.of(name)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new AgentWrite(
                    toAgent(row), row.getBoolean("restored") ? AgentWrite.Change.UPDATED : AgentWrite.Change.UNCHANGED);
        });
    }

    /**
     * Marks active remote agents silent for longer than {@code timeout} (since their last heartbeat or
     * change) as unhealthy.
     *
     * @return the rows this call changed (empty when another replica got there first)
     */
    public Uni<List<Agent>> markSilentAgentsUnhealthy(Duration timeout) {
        return pool.preparedQuery(MARK_SILENT)
                .execute(Tuple.of(timeout.toMillis() / 1000.0))
                .map(this::toAgents);
    }

    // ---- versions and rollout: each change is one transaction that first locks the agent row, so concurrent
    // rollout calls for one agent serialise and the canaries' weights can never add up to more than 100.

    private static final String LOCK_AGENT =
            "SELECT version, endpoint, prompt_id, model FROM registry.agents" + " WHERE name = $1 FOR UPDATE";
    private static final String BUMP = "UPDATE registry.agents AS a SET revision = a.revision + 1, updated_at = now()"
            + " WHERE a.name = $1 RETURNING " + RETURNED;

    /**
     * Registers or replaces a canary version (agent revision + 1).
     *
     * @return UPDATED with the agent after the change; {@code null} if no such agent
     * @throws RolloutConflictException (as a failure) if it names the stable version or the weights exceed 100
     */
    public Uni<AgentWrite> upsertVersion(String name, VersionDefinition def) {
        int weight = def.weight() == null ? 0 : def.weight();
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_AGENT)
                .execute(Tuple.of(name))
                .chain(lock -> {
                    if (lock.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    if (def.version().equals(lock.iterator().next().getString("version"))) {
                        return Uni.createFrom()
                                .failure(new RolloutConflictException("Version '" + def.version()
                                        + "' is the stable version of agent '" + name + "'"));
                    }
                    return checkWeights(conn, name, def.version(), weight)
                            .chain(() -> conn.preparedQuery(
                                            "INSERT INTO registry.agent_versions (agent_name, version, weight,"
                                                    + " endpoint, prompt_id, model) VALUES ($1, $2, $3, $4, $5, $6::jsonb)"
                                                    + " ON CONFLICT (agent_name, version) DO UPDATE SET weight = EXCLUDED.weight,"
                                                    + " endpoint = EXCLUDED.endpoint, prompt_id = EXCLUDED.prompt_id, model = EXCLUDED.model,"
                                                    + " updated_at = now()")
                                    .execute(Tuple.from(java.util.Arrays.asList(
                                            name,
                                            def.version(),
                                            weight,
                                            def.endpoint(),
                                            def.promptId(),
                                            def.model() == null ? null : toJson(def.model())))))
                            .chain(() -> bump(conn, name));
                }));
    }

    /**
     * Sets the weight of one canary version.
     *
     * @return UPDATED (revision + 1) or UNCHANGED (already that weight); {@code null} if no such agent
     * @throws AgentVersionNotFoundException (as a failure) if the agent has no such canary
     * @throws RolloutConflictException      (as a failure) if the canaries' weights would exceed 100
     */
    public Uni<AgentWrite> setWeight(String name, String version, int weight) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_AGENT)
                .execute(Tuple.of(name))
                .chain(lock -> {
                    if (lock.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    return currentWeight(conn, name, version).chain(current -> {
                        if (current == weight) {
                            return unchanged(conn, name);
                        }
                        return checkWeights(conn, name, version, weight)
                                .chain(() -> conn.preparedQuery("UPDATE registry.agent_versions SET weight = $3,"
                                                + " updated_at = now() WHERE agent_name = $1 AND version = $2")
                                        .execute(Tuple.of(name, version, weight)))
                                .chain(() -> bump(conn, name));
                    });
                }));
    }

    /**
     * Rolls back: weight 0 for {@code version}, or for every canary when {@code version} is {@code null}.
     * Idempotent: when nothing had weight left it changes nothing (so several supervisors triggering the same
     * automatic rollback produce one change and one event).
     *
     * @return UPDATED (revision + 1) or UNCHANGED; {@code null} if no such agent
     * @throws AgentVersionNotFoundException (as a failure) if {@code version} is given and unknown
     */
    public Uni<AgentWrite> rollback(String name, String version) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_AGENT)
                .execute(Tuple.of(name))
                .chain(lock -> {
                    if (lock.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Uni<Integer> known =
                            version == null ? Uni.createFrom().item(0) : currentWeight(conn, name, version);
                    return known.chain(ignored -> conn.preparedQuery(
                                            "UPDATE registry.agent_versions SET weight = 0,"
                                                    + " updated_at = now() WHERE agent_name = $1 AND ($2::varchar IS NULL OR version = $2) AND weight > 0")
                                    .execute(Tuple.of(name, version)))
                            .chain(rows -> rows.rowCount() == 0 ? unchanged(conn, name) : bump(conn, name));
                }));
    }

    /**
     * Promotes a canary: the agent row takes its version string and its endpoint/prompt/model (where set), the
     * canary row is removed, and the previous stable version is kept as a canary with weight 0 (so an operator
     * can roll forward to it again).
     *
     * @return UPDATED with the agent after the change; {@code null} if no such agent
     * @throws AgentVersionNotFoundException (as a failure) if the agent has no such canary
     */
    public Uni<AgentWrite> promote(String name, String version) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_AGENT)
                .execute(Tuple.of(name))
                .chain(lock -> {
                    if (lock.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row stable = lock.iterator().next();
                    return currentWeight(conn, name, version)
                            .chain(() -> conn.preparedQuery(
                                            "UPDATE registry.agents AS a SET version = v.version,"
                                                    + " endpoint = COALESCE(v.endpoint, a.endpoint), prompt_id = COALESCE(v.prompt_id, a.prompt_id),"
                                                    + " model = COALESCE(v.model, a.model), source = 'api'"
                                                    + " FROM registry.agent_versions v WHERE a.name = $1 AND v.agent_name = a.name AND v.version = $2")
                                    .execute(Tuple.of(name, version)))
                            .chain(() -> conn.preparedQuery("DELETE FROM registry.agent_versions WHERE agent_name = $1"
                                            + " AND version = $2")
                                    .execute(Tuple.of(name, version)))
                            .chain(() -> conn.preparedQuery(
                                            "INSERT INTO registry.agent_versions (agent_name, version, weight,"
                                                    + " endpoint, prompt_id, model) VALUES ($1, $2, 0, $3, $4, $5::jsonb)"
                                                    + " ON CONFLICT (agent_name, version) DO NOTHING")
                                    .execute(Tuple.from(java.util.Arrays.asList(
                                            name,
                                            stable.getString("version"),
                                            stable.getString("endpoint"),
                                            stable.getString("prompt_id"),
                                            stable.getValue("model")))))
                            .chain(() -> bump(conn, name));
                }));
    }

    /**
     * Deletes a canary version (revision + 1).
     *
     * @return UPDATED; {@code null} if no such agent
     * @throws AgentVersionNotFoundException (as a failure) if the agent has no such canary
     */
    public Uni<AgentWrite> deleteVersion(String name, String version) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_AGENT)
                .execute(Tuple.of(name))
                .chain(lock -> {
                    if (lock.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    return currentWeight(conn, name, version)
                            .chain(() -> conn.preparedQuery("DELETE FROM registry.agent_versions WHERE agent_name = $1"
                                            + " AND version = $2")
                                    .execute(Tuple.of(name, version)))
                            .chain(() -> bump(conn, name));
                }));
    }

    private Uni<Integer> currentWeight(SqlConnection conn, String name, String version) {
        return conn.preparedQuery("SELECT weight FROM registry.agent_versions WHERE agent_name = $1 AND version = $2")
                .execute(Tuple.of(name, version))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new AgentVersionNotFoundException(name, version);
                    }
                    return rows.iterator().next().getInteger("weight");
                });
    }

    private Uni<Void> checkWeights(SqlConnection conn, String name, String version, int weight) {
        return conn.preparedQuery("SELECT COALESCE(sum(weight), 0) AS others FROM registry.agent_versions"
                        + " WHERE agent_name = $1 AND version <> $2")
                .execute(Tuple.of(name, version))
                .map(rows -> rows.iterator().next().getLong("others"))
                .invoke(others -> {
                    if (others + weight > 100) {
                        throw new RolloutConflictException(
                                "The canaries of agent '" + name + "' would get " + (others + weight)
                                        + " % of the traffic (at most 100 %; the others have " + others + " %)");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<AgentWrite> bump(SqlConnection conn, String name) {
        return conn.preparedQuery(BUMP)
                .execute(Tuple.of(name))
                .map(rows -> new AgentWrite(toAgent(rows.iterator().next()), AgentWrite.Change.UPDATED));
    }

    private Uni<AgentWrite> unchanged(SqlConnection conn, String name) {
        return conn.preparedQuery("SELECT " + RETURNED + " FROM registry.agents a WHERE a.name = $1")
                .execute(Tuple.of(name))
                .map(rows -> new AgentWrite(toAgent(rows.iterator().next()), AgentWrite.Change.UNCHANGED));
    }

    /** @return number of agents per status value (statuses without agents are absent) */
    public Uni<Map<String, Long>> countByStatus() {
        return pool.query("SELECT status, count(*) AS n FROM registry.agents GROUP BY status")
                .execute()
                .map(rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    rows.forEach(row -> counts.put(row.getString("status"), row.getLong("n")));
                    return counts;
                });
    }

    private Tuple contentTuple(String name, AgentDefinition def) {
        List<Object> values = new ArrayList<>(14);
        values.add(name);
        values.add(def.description());
        values.add(def.capabilities().toArray(String[]::new));
        values.add(def.version());
        values.add(def.status());
        values.add(def.kind());
        values.add(def.promptId());
        values.add(def.model() == null ? null : toJson(def.model()));
        values.add(def.tools().toArray(String[]::new));
        values.add(def.endpoint());
        values.add(def.examples().toArray(String[]::new));
        values.add(toJson(def.metadata()));
        values.add(def.isDefault());
        return Tuple.from(values);
    }

    private JsonObject toJson(Object value) {
        try {
            return new JsonObject(mapper.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot encode agent field as JSON", e);
        }
    }

    private List<Agent> toAgents(RowSet<Row> rows) {
        List<Agent> agents = new ArrayList<>(rows.size());
        rows.forEach(row -> agents.add(toAgent(row)));
        return agents;
    }

    private Agent toAgent(Row row) {
        JsonObject model = (JsonObject) row.getValue("model");
        JsonObject metadata = (JsonObject) row.getValue("metadata");
        return new Agent(
                row.getString("name"),
                row.getString("description"),
                List.of(row.getArrayOfStrings("capabilities")),
                row.getString("version"),
                row.getString("status"),
                row.getString("kind"),
                row.getString("prompt_id"),
                model == null ? null : read(model, ModelSettings.class),
                List.of(row.getArrayOfStrings("tools")),
                row.getString("endpoint"),
                List.of(row.getArrayOfStrings("examples")),
                metadata == null ? Map.of() : readMap(metadata),
                row.getBoolean("is_default"),
                row.getLong("revision"),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                instant(row, "last_heartbeat"),
                readVersions(row.getValue("versions")));
    }

    private List<AgentVersion> readVersions(Object json) {
        if (json == null) {
            return List.of();
        }
        try {
            return List.copyOf(mapper.readValue(
                    json.toString(),
                    TypeFactory.defaultInstance().constructCollectionType(List.class, AgentVersion.class)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored agent versions are unreadable", e);
        }
    }

    private <T> T read(JsonObject json, Class<T> type) {
        try {
            return mapper.readValue(json.encode(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored agent JSON is unreadable", e);
        }
    }

    private Map<String, Object> readMap(JsonObject json) {
        try {
            return mapper.readValue(
                    json.encode(),
                    TypeFactory.defaultInstance().constructMapType(Map.class, String.class, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored agent metadata is unreadable", e);
        }
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
