package dev.switchboard.registry.repository;

import dev.switchboard.registry.SupervisorInstance;
import dev.switchboard.registry.SupervisorRegistration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plain SQL on {@code registry.supervisors}. Every write is one statement (atomic, race-free between registry
 * replicas); {@code up}/{@code stale} is computed from {@code last_heartbeat} on every read.
 */
@ApplicationScoped
public class SupervisorRepository {

    private static final String COLUMNS =
            "id, host, port, version, capacity, active_sessions, started_at, last_heartbeat";

    /** Live status from the last heartbeat; {@code $1} is the timeout in seconds. */
    private static final String LIVE_STATUS =
            "CASE WHEN last_heartbeat < now() - make_interval(secs => $1::double precision)"
                    + " THEN 'stale' ELSE 'up' END AS live_status";

    private static final String REGISTER = "INSERT INTO registry.supervisors AS s (id, host, port, version, capacity,"
            + " active_sessions, status, started_at, registered_at, last_heartbeat)"
            + " VALUES ($1, $2, $3, $4, $5, $6, 'up', COALESCE($7::timestamptz, now()), now(), now())"
            + " ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port, version = EXCLUDED.version,"
            + " capacity = EXCLUDED.capacity, active_sessions = EXCLUDED.active_sessions, status = 'up',"
            + " started_at = COALESCE($7::timestamptz, s.started_at), registered_at = now(), last_heartbeat = now()"
            + " RETURNING " + COLUMNS + ", 'up' AS live_status, (xmax = 0) AS inserted";

    private static final String HEARTBEAT = "UPDATE registry.supervisors SET active_sessions = $2,"
            + " capacity = COALESCE($3::integer, capacity), status = 'up', last_heartbeat = now()"
            + " WHERE id = $1 RETURNING " + COLUMNS + ", 'up' AS live_status";

    // One conditional UPDATE: with several registry replicas each silent instance is announced once.
    private static final String MARK_STALE = "UPDATE registry.supervisors SET status = 'stale'"
            + " WHERE status = 'up' AND last_heartbeat < now() - make_interval(secs => $1::double precision)"
            + " RETURNING id";

    private static final String EXPIRE = "DELETE FROM registry.supervisors"
            + " WHERE last_heartbeat < now() - make_interval(secs => $1::double precision) RETURNING id";

    private final Pool pool;

    /** Injects the reactive pool. */
    public SupervisorRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Upsert by id: a new row, or the existing one replaced (a restart or a re-registration after a 404).
     *
     * @return the stored instance (status {@code up}) and whether it was inserted
     */
    public Uni<SupervisorWrite> registerSupervisor(SupervisorRegistration r) {
        OffsetDateTime startedAt =
                r.startedAt() == null ? null : OffsetDateTime.ofInstant(r.startedAt(), ZoneOffset.UTC);
        Tuple params = Tuple.from(Arrays.asList(
                r.id(), r.host(), r.port(), r.versionOrDefault(), r.capacity(), r.activeSessionsOrZero(), startedAt));
        return pool.preparedQuery(REGISTER).execute(params).map(rows -> {
            Row row = rows.iterator().next();
            return new SupervisorWrite(toInstance(row), row.getBoolean("inserted"));
        });
    }

    /**
     * Records a heartbeat: active sessions, capacity (when given), status {@code up}.
     *
     * @return the instance after the heartbeat, or {@code null} if no such instance
     */
    public Uni<SupervisorInstance> recordHeartbeat(String id, int activeSessions, Integer capacity) {
        return pool.preparedQuery(HEARTBEAT)
                .execute(Tuple.from(Arrays.asList(id, activeSessions, capacity)))
                .map(rows ->
                        rows.size() == 0 ? null : toInstance(rows.iterator().next()));
    }

    /** @return whether a row was deleted */
    public Uni<Boolean> deleteSupervisor(String id) {
        return pool.preparedQuery("DELETE FROM registry.supervisors WHERE id = $1 RETURNING id")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() > 0);
    }

    /**
     * @param timeout silence after which an instance is {@code stale}
     * @return every instance sorted by id, with its live status
     */
    public Uni<List<SupervisorInstance>> listSupervisors(Duration timeout) {
        return pool.preparedQuery("SELECT " + COLUMNS + ", " + LIVE_STATUS + " FROM registry.supervisors ORDER BY id")
                .execute(Tuple.of(seconds(timeout)))
                .map(SupervisorRepository::toInstances);
    }

    /**
     * Marks instances silent for longer than {@code timeout} as announced-stale.
     *
     * @return the ids this call changed (empty when another replica got there first)
     */
    public Uni<List<String>> markStale(Duration timeout) {
        return pool.preparedQuery(MARK_STALE)
                .execute(Tuple.of(seconds(timeout)))
                .map(SupervisorRepository::ids);
    }

    /**
     * Deletes instances silent for longer than {@code maxSilence}.
     *
     * @return the ids this call deleted
     */
    public Uni<List<String>> deleteSilent(Duration maxSilence) {
        return pool.preparedQuery(EXPIRE).execute(Tuple.of(seconds(maxSilence))).map(SupervisorRepository::ids);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static List<String> ids(RowSet<Row> rows) {
        List<String> ids = new ArrayList<>(rows.size());
        rows.forEach(row -> ids.add(row.getString("id")));
        return ids;
    }

    private static List<SupervisorInstance> toInstances(RowSet<Row> rows) {
        List<SupervisorInstance> list = new ArrayList<>(rows.size());
        rows.forEach(row -> list.add(toInstance(row)));
        return list;
    }

    private static SupervisorInstance toInstance(Row row) {
        return new SupervisorInstance(
                row.getString("id"),
                row.getString("host"),
                row.getInteger("port"),
                row.getString("version"),
                row.getInteger("capacity"),
                row.getInteger("active_sessions"),
                row.getString("live_status"),
                instant(row, "started_at"),
                instant(row, "last_heartbeat"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
