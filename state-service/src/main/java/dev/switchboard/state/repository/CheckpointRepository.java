package dev.switchboard.state.repository;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.state.Checkpoint;
import dev.switchboard.state.CheckpointSummary;
import dev.switchboard.state.DependencyUnavailableException;
import dev.switchboard.state.Session;
import dev.switchboard.state.config.StateConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Checkpoints in PostgreSQL ({@code state.checkpoints}), the durable source of truth for sessions. Inserting
 * version {@code v} twice for one session fails with {@link CheckpointConflictException}: this is what makes
 * concurrent session writes safe.
 *
 * <p>Every operation a request makes is bounded by {@code DB_TIMEOUT} (waiting for a pooled connection included); a
 * timeout, a refused or dropped connection, or PostgreSQL refusing work while it shuts down or starts fails with
 * {@link DependencyUnavailableException} (503). A write that timed out may still commit once PostgreSQL answers; a
 * retried turn with the same {@code turn_id} then answers the recorded result.
 *
 * <p>Storage is linear in a session's length: a row holds a snapshot (column {@code checkpoint}, the full session)
 * or a delta (column {@code delta}, what that version added, see {@link CheckpointDelta}), or both. A write stores its
 * delta; every {@link StateConfig#checkpointSnapshotEvery()}-th version also the full session, and then the older
 * snapshots that still have their delta are thinned to it, so a session holds one such snapshot besides its base. A
 * base is a snapshot without a delta (a version 1, a fork, a row written before deltas existed, the oldest version
 * retention kept): it is never thinned, so every version can be read from the newest snapshot at or below it plus
 * the deltas after it.
 */
@ApplicationScoped
public class CheckpointRepository {

    // thread_id: the session id, under the column name LangGraph users migrate from

    /** Whether a checkpoint row (alias {@code c}) is one a fork was made from: kept by {@link #pruneSession}. */
    static final String FORKED_FROM = """
            EXISTS (SELECT 1 FROM state.checkpoints f
                    WHERE f.metadata ? 'forked_from'
                      AND f.metadata -> 'forked_from' ->> 'thread_id' = c.thread_id
                      AND f.metadata -> 'forked_from' ->> 'checkpoint_id' = c.checkpoint_id)""";

    /** Bytes a checkpoint row (alias {@code c}) stores: pg_column_size of the whole row (values as stored). */
    static final String ROW_BYTES = "pg_column_size(c.*)::bigint";

    private static final String INSERT_COLUMNS =
            "(thread_id, checkpoint_id, parent_id, version, user_id, checkpoint, delta, metadata, created_at, expires_at)";

    /** A row that needs nothing below it. */
    private static final String INSERT_BASE = "INSERT INTO state.checkpoints " + INSERT_COLUMNS + """
             VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, NULL, $7::text::jsonb, $8, $9)
            """;

    /**
     * A row that follows its parent: written only while the parent (the version below) is there, and the parent
     * stays locked (FOR KEY SHARE) until it commits, so a sweeper deleting the session either waits for it or makes
     * it write nothing (the caller then writes a base instead).
     */
    private static final String INSERT_CHAINED = "INSERT INTO state.checkpoints " + INSERT_COLUMNS + """
             SELECT $1::text, $2::text, $3::text, $4::bigint, $5::text, $6::text::jsonb, $10::text::jsonb,
                    $7::text::jsonb, $8::timestamptz, $9::timestamptz
             WHERE EXISTS (SELECT 1 FROM state.checkpoints p
                           WHERE p.thread_id = $1::text AND p.checkpoint_id = $3::text AND p.version = $4::bigint - 1
                           FOR KEY SHARE)
            """;

    /**
     * {@link #INSERT_CHAINED} for a periodic snapshot, thinning the older snapshots that have a delta (never a base,
     * never the parent) in the same statement, so the two happen together or not at all.
     */
    private static final String INSERT_SNAPSHOT_AND_THIN = """
            WITH thinned AS (
              UPDATE state.checkpoints SET checkpoint = NULL
              WHERE thread_id = $1::text AND version < $4::bigint - 1 AND checkpoint IS NOT NULL AND delta IS NOT NULL)
            """ + INSERT_CHAINED;

    /**
     * The rows needed to read one version: the newest snapshot at or below it, then the deltas after it, oldest
     * first. $2: the checkpoint id, or NULL for the latest version. One statement, so one consistent view.
     */
    private static final String FIND_CHAIN = """
            WITH target AS (
              SELECT version FROM state.checkpoints
              WHERE thread_id = $1 AND ($2::text IS NULL OR checkpoint_id = $2)
              ORDER BY version DESC LIMIT 1),
            base AS (
              SELECT max(c.version) AS version FROM state.checkpoints c, target t
              WHERE c.thread_id = $1 AND c.version <= t.version AND c.checkpoint IS NOT NULL)
            SELECT c.thread_id, c.checkpoint_id, c.parent_id, c.version,
                   CASE WHEN c.version = b.version THEN c.checkpoint::text END AS checkpoint,
                   CASE WHEN c.version > b.version THEN c.delta::text END AS delta,
                   c.metadata::text AS metadata, c.created_at
            FROM state.checkpoints c, target t, base b
            WHERE c.thread_id = $1 AND c.version BETWEEN b.version AND t.version
            ORDER BY c.version
            """;

    private final Pool pool;
    private final ObjectMapper mapper;
    private final StateConfig config;

    /**
     * @param pool   the reactive PostgreSQL pool
     * @param config snapshot interval and retention
     */
    public CheckpointRepository(Pool pool, ObjectMapper mapper, StateConfig config) {
        this.pool = pool;
        this.mapper = mapper;
        this.config = config;
    }

    /**
     * Inserts a checkpoint: a base snapshot without {@code delta}; with it, the delta row (and on every
     * {@link StateConfig#checkpointSnapshotEvery()}-th version the snapshot too). A delta needs its parent
     * ({@code checkpoint.parentId()} at the version below); when that is gone (the session was deleted or swept
     * meanwhile) the checkpoint is written as a base, so the write still holds the whole session. {@code expires_at}
     * is the write time plus {@link StateConfig#checkpointRetention()}.
     *
     * @param snapshotJson the session as JSON (with {@code recovered=false}), or {@code null} to serialise here when a
     *                     snapshot is written
     * @param delta        what this version added to its parent, or {@code null} for a base snapshot
     * @return {@code true} when the checkpoint was written as a base (asked for, or because the parent was gone)
     * @throws CheckpointConflictException (as failure) when the session already has this version
     */
    public Uni<Boolean> insertCheckpoint(Checkpoint checkpoint, String snapshotJson, CheckpointDelta delta) {
        return bounded(insertAnyCheckpoint(checkpoint, snapshotJson, delta));
    }

    private Uni<Boolean> insertAnyCheckpoint(Checkpoint checkpoint, String snapshotJson, CheckpointDelta delta) {
        if (delta == null || checkpoint.parentId() == null) {
            return insert(INSERT_BASE, params(checkpoint, snapshot(checkpoint, snapshotJson)))
                    .replaceWith(true);
        }
        boolean periodic = checkpoint.version() % Math.max(1, config.checkpointSnapshotEvery()) == 0;
        Tuple params = params(checkpoint, periodic ? snapshot(checkpoint, snapshotJson) : null)
                .addString(toJson(delta));
        return insert(periodic ? INSERT_SNAPSHOT_AND_THIN : INSERT_CHAINED, params)
                .chain(inserted -> inserted > 0
                        ? Uni.createFrom().item(false)
                        : insert(INSERT_BASE, params(checkpoint, snapshot(checkpoint, snapshotJson)))
                                .replaceWith(true));
    }

    /** @return the session's highest-version checkpoint, or {@code null} item when it has none */
    public Uni<Checkpoint> findLatestCheckpoint(String sessionId) {
        return bounded(findCheckpointAt(pool, sessionId, null));
    }

    /** @return the checkpoint, or {@code null} item when the session has no such checkpoint */
    public Uni<Checkpoint> findCheckpoint(String sessionId, String checkpointId) {
        return bounded(findCheckpointAt(pool, sessionId, checkpointId));
    }

    /** @return the version a checkpoint holds, or {@code null} item when the session has no such checkpoint */
    public Uni<Long> findCheckpointVersion(String sessionId, String checkpointId) {
        return bounded(pool.preparedQuery(
                                "SELECT version FROM state.checkpoints WHERE thread_id = $1 AND checkpoint_id = $2")
                        .execute(Tuple.of(sessionId, checkpointId)))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("version"));
    }

    /**
     * Lists checkpoints newest first.
     *
     * @param beforeVersion only versions below this one, or {@code null} for the newest
     * @param limit         maximum rows
     */
    public Uni<List<CheckpointSummary>> listCheckpoints(String sessionId, Long beforeVersion, int limit) {
        return bounded(pool.preparedQuery("""
                                SELECT checkpoint_id, parent_id, version, metadata::text AS metadata, created_at
                                FROM state.checkpoints
                                WHERE thread_id = $1 AND ($2::bigint IS NULL OR version < $2)
                                ORDER BY version DESC LIMIT $3
                                """).execute(Tuple.of(sessionId, beforeVersion, limit)))
                .map(rows -> {
                    List<CheckpointSummary> page = new ArrayList<>();
                    for (Row row : rows) {
                        page.add(new CheckpointSummary(
                                row.getString("checkpoint_id"),
                                row.getString("parent_id"),
                                row.getLong("version"),
                                row.getOffsetDateTime("created_at").toInstant(),
                                parse(row.getString("metadata"), ObjectNode.class)));
                    }
                    return page;
                });
    }

    /**
     * Deletes every checkpoint of a session.
     *
     * @return the distinct user ids of the deleted rows, and how many rows went
     */
    public Uni<DeletedCheckpoints> deleteCheckpoints(String sessionId) {
        return bounded(pool.preparedQuery("DELETE FROM state.checkpoints WHERE thread_id = $1 RETURNING user_id")
                        .execute(Tuple.of(sessionId)))
                .map(rows -> {
                    Set<String> users = new LinkedHashSet<>();
                    for (Row row : rows) {
                        if (row.getString("user_id") != null) {
                            users.add(row.getString("user_id"));
                        }
                    }
                    return new DeletedCheckpoints(rows.rowCount(), users);
                });
    }

    /**
     * The sessions an erasure removes: every session with a checkpoint owned by {@code userId}, the given sessions, and
     * every session forked from any of these (transitively: a fork copies its source's messages). One statement.
     *
     * @param userId     the user, or {@code null}
     * @param sessionIds sessions named explicitly (they need not exist)
     * @return the ids of the sessions that have checkpoints, without duplicates
     */
    public Uni<List<String>> findSessionsToErase(String userId, List<String> sessionIds) {
        return pool.preparedQuery("""
                        WITH RECURSIVE erased(id) AS (
                          SELECT unnest($2::text[])
                          UNION
                          SELECT thread_id FROM state.checkpoints WHERE $1::text IS NOT NULL AND user_id = $1::text
                          UNION
                          SELECT c.thread_id FROM state.checkpoints c JOIN erased e
                            ON c.metadata ? 'forked_from' AND c.metadata -> 'forked_from' ->> 'thread_id' = e.id)
                        SELECT e.id FROM erased e
                        WHERE EXISTS (SELECT 1 FROM state.checkpoints c WHERE c.thread_id = e.id)
                        ORDER BY e.id
                        """)
                .execute(Tuple.of(userId, sessionIds.toArray(String[]::new)))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("id")));
                    return ids;
                });
    }

    /** @return the ids of every session with checkpoints owned by the user */
    public Uni<List<String>> findSessionIdsForUser(String userId) {
        return bounded(pool.preparedQuery("SELECT DISTINCT thread_id FROM state.checkpoints WHERE user_id = $1")
                        .execute(Tuple.of(userId)))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("thread_id")));
                    return ids;
                });
    }

    /**
     * Deletes, in one transaction, up to {@code batch} whole sessions whose latest checkpoint expired
     * ({@code expires_at}, or for rows written before it was filled {@code created_at} plus {@code retention}). Each
     * session is claimed by locking its latest row ({@code FOR UPDATE SKIP LOCKED}): concurrent sweepers take
     * disjoint sessions, a session whose write is in flight (its parent row is key-share locked) is skipped this
     * time, and writes arriving meanwhile wait and then write a base. A session that got a newer version between the
     * claim and the delete is kept.
     *
     * @param retention how long rows without {@code expires_at} live after their write
     * @return the sessions deleted, rows and bytes removed, and how many sessions were claimed
     */
    public Uni<Swept> deleteExpiredSessions(Duration retention, int batch) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("""
                        SELECT c.thread_id, c.version FROM state.checkpoints c
                        WHERE (c.expires_at < now()
                               OR (c.expires_at IS NULL AND c.created_at < now() - make_interval(secs => $1::float8)))
                          AND NOT EXISTS (SELECT 1 FROM state.checkpoints n
                                          WHERE n.thread_id = c.thread_id AND n.version > c.version)
                        LIMIT $2
                        FOR UPDATE OF c SKIP LOCKED
                        """)
                .execute(Tuple.of((double) retention.toSeconds(), batch))
                .chain(claimed -> {
                    if (claimed.size() == 0) {
                        return Uni.createFrom().item(Swept.NONE);
                    }
                    List<String> ids = new ArrayList<>();
                    List<Long> versions = new ArrayList<>();
                    claimed.forEach(row -> {
                        ids.add(row.getString("thread_id"));
                        versions.add(row.getLong("version"));
                    });
                    return connection
                            .preparedQuery("DELETE FROM state.checkpoints c"
                                    + " USING unnest($1::text[], $2::bigint[]) AS s(thread_id, version)"
                                    + " WHERE c.thread_id = s.thread_id AND NOT EXISTS (SELECT 1 FROM state.checkpoints n"
                                    + " WHERE n.thread_id = s.thread_id AND n.version > s.version)"
                                    + " RETURNING c.thread_id, c.user_id, " + ROW_BYTES + " AS bytes")
                            .execute(Tuple.of(ids.toArray(String[]::new), versions.toArray(Long[]::new)))
                            .map(deleted -> {
                                Map<String, Set<String>> sessions = new LinkedHashMap<>();
                                long bytes = 0;
                                for (Row row : deleted) {
                                    Set<String> users = sessions.computeIfAbsent(
                                            row.getString("thread_id"), id -> new LinkedHashSet<>());
                                    if (row.getString("user_id") != null) {
                                        users.add(row.getString("user_id"));
                                    }
                                    bytes += row.getLong("bytes");
                                }
                                List<SweptSession> swept = new ArrayList<>();
                                sessions.forEach((id, users) -> swept.add(new SweptSession(id, users)));
                                return new Swept(claimed.size(), swept, deleted.rowCount(), bytes);
                            });
                }));
    }

    /**
     * Removes, in one transaction, the versions below the newest {@code keepLast} of up to {@code batch} sessions,
     * except checkpoints a fork was made from. First the oldest kept version and each kept older checkpoint are made
     * bases (the full session, written from its chain, and no delta), so everything kept stays readable and is never
     * thinned. Sessions are claimed by locking their latest row ({@code FOR NO KEY UPDATE SKIP LOCKED}): concurrent
     * sweepers take disjoint sessions while writers go on appending.
     *
     * @param keepLast versions kept per session (at least 1)
     * @return the sessions pruned, rows and bytes removed, and how many sessions were claimed
     */
    public Uni<Swept> pruneSessions(int keepLast, int batch) {
        int keep = Math.max(1, keepLast);
        return pool.withTransaction(connection -> connection
                .preparedQuery("""
                        SELECT l.thread_id, l.version FROM state.checkpoints l
                        WHERE l.version > $1
                          AND NOT EXISTS (SELECT 1 FROM state.checkpoints n
                                          WHERE n.thread_id = l.thread_id AND n.version > l.version)
                          AND EXISTS (SELECT 1 FROM state.checkpoints c
                                      WHERE c.thread_id = l.thread_id AND c.version <= l.version - $1
                                        AND NOT (c.checkpoint IS NOT NULL AND c.delta IS NULL AND %s))
                        LIMIT $2
                        FOR NO KEY UPDATE OF l SKIP LOCKED
                        """.formatted(FORKED_FROM))
                .execute(Tuple.of((long) keep, batch))
                .chain(claimed -> {
                    List<Row> sessions = new ArrayList<>();
                    claimed.forEach(sessions::add);
                    return Multi.createFrom()
                            .iterable(sessions)
                            .onItem()
                            .transformToUniAndConcatenate(row -> pruneSession(
                                    connection, row.getString("thread_id"), row.getLong("version") - keep + 1))
                            .collect()
                            .asList()
                            .map(pruned -> {
                                long rows = 0;
                                long bytes = 0;
                                List<SweptSession> swept = new ArrayList<>();
                                for (int i = 0; i < pruned.size(); i++) {
                                    long[] counts = pruned.get(i);
                                    rows += counts[0];
                                    bytes += counts[1];
                                    // a session another sweeper pruned just before this claim loses nothing here
                                    if (counts[0] > 0) {
                                        swept.add(
                                                new SweptSession(sessions.get(i).getString("thread_id"), Set.of()));
                                    }
                                }
                                return new Swept(sessions.size(), swept, rows, bytes);
                            });
                }));
    }

    /** Prunes one claimed session below {@code cut}; @return rows and bytes deleted */
    private Uni<long[]> pruneSession(SqlConnection connection, String sessionId, long cut) {
        return connection
                .preparedQuery("""
                        WITH kept AS (SELECT min(version) AS version FROM state.checkpoints
                                      WHERE thread_id = $1 AND version >= $2)
                        SELECT c.checkpoint_id, c.version FROM state.checkpoints c, kept k
                        WHERE c.thread_id = $1 AND c.version <= k.version
                          AND NOT (c.checkpoint IS NOT NULL AND c.delta IS NULL)
                          AND (c.version = k.version OR %s)
                        ORDER BY c.version
                        """.formatted(FORKED_FROM))
                .execute(Tuple.of(sessionId, cut))
                .chain(toRebase -> {
                    List<String> ids = new ArrayList<>();
                    toRebase.forEach(row -> ids.add(row.getString("checkpoint_id")));
                    return Multi.createFrom()
                            .iterable(ids)
                            .onItem()
                            .transformToUniAndConcatenate(id -> rebase(connection, sessionId, id))
                            .collect()
                            .asList();
                })
                .chain(() -> connection
                        .preparedQuery("""
                                WITH kept AS (SELECT min(version) AS version FROM state.checkpoints
                                              WHERE thread_id = $1 AND version >= $2)
                                DELETE FROM state.checkpoints c USING kept k
                                WHERE c.thread_id = $1 AND c.version < k.version AND NOT %s
                                RETURNING %s AS bytes
                                """.formatted(FORKED_FROM, ROW_BYTES))
                        .execute(Tuple.of(sessionId, cut)))
                .map(deleted -> {
                    long bytes = 0;
                    for (Row row : deleted) {
                        bytes += row.getLong("bytes");
                    }
                    return new long[] {deleted.rowCount(), bytes};
                });
    }

    /** Turns a checkpoint into a base: its full session (replayed from its chain) and no delta. */
    private Uni<Void> rebase(SqlConnection connection, String sessionId, String checkpointId) {
        return findCheckpointAt(connection, sessionId, checkpointId)
                .chain(checkpoint -> connection
                        .preparedQuery("UPDATE state.checkpoints SET checkpoint = $3::text::jsonb, delta = NULL"
                                + " WHERE thread_id = $1 AND checkpoint_id = $2")
                        .execute(Tuple.of(sessionId, checkpointId, toJson(checkpoint.checkpoint())))
                        .replaceWithVoid());
    }

    /**
     * One sweeper transaction's outcome.
     *
     * @param claimed  sessions it locked
     * @param sessions the sessions it removed rows of (with the owners recorded on deleted rows, when whole sessions
     *                 went)
     * @param rows     checkpoint rows deleted
     * @param bytes    their stored bytes (sum of pg_column_size over their columns)
     */
    public record Swept(int claimed, List<SweptSession> sessions, long rows, long bytes) {
        static final Swept NONE = new Swept(0, List.of(), 0, 0);
    }

    /**
     * A session the sweeper removed rows of.
     *
     * @param sessionId the session
     * @param userIds   owners recorded on its deleted rows
     */
    public record SweptSession(String sessionId, Set<String> userIds) {}

    /**
     * Rows removed by {@link #deleteCheckpoints}.
     *
     * @param rows    number of checkpoints deleted
     * @param userIds owners recorded on them
     */
    public record DeletedCheckpoints(int rows, Set<String> userIds) {}

    /** Reads one version (the latest when {@code checkpointId} is null) by replaying its chain. */
    private Uni<Checkpoint> findCheckpointAt(SqlClient client, String sessionId, String checkpointId) {
        return client.preparedQuery(FIND_CHAIN)
                .execute(Tuple.of(sessionId, checkpointId))
                .map(rows -> rows.size() == 0 ? null : replay(sessionId, rows));
    }

    /** Folds a chain (a snapshot, then the deltas of the versions after it) into the last version's checkpoint. */
    private Checkpoint replay(String sessionId, RowSet<Row> rows) {
        Session session = null;
        Row last = null;
        for (Row row : rows) {
            long version = row.getLong("version");
            if (session == null) {
                session = parse(row.getString("checkpoint"), Session.class);
            } else if (version != last.getLong("version") + 1) {
                throw new IllegalStateException(
                        "Checkpoints of session " + sessionId + " miss version " + (last.getLong("version") + 1));
            } else {
                session = parse(row.getString("delta"), CheckpointDelta.class)
                        .applyTo(session, version, row.getString("checkpoint_id"));
            }
            last = row;
        }
        return new Checkpoint(
                last.getString("thread_id"),
                last.getString("checkpoint_id"),
                last.getString("parent_id"),
                last.getLong("version"),
                session.withRecovered(false),
                parse(last.getString("metadata"), ObjectNode.class),
                last.getOffsetDateTime("created_at").toInstant());
    }

    private Tuple params(Checkpoint checkpoint, String snapshotJson) {
        Instant createdAt = checkpoint.createdAt();
        return Tuple.tuple()
                .addString(checkpoint.sessionId())
                .addString(checkpoint.checkpointId())
                .addString(checkpoint.parentId())
                .addLong(checkpoint.version())
                .addString(checkpoint.checkpoint().userId())
                .addString(snapshotJson)
                .addString(toJson(checkpoint.metadata()))
                .addOffsetDateTime(createdAt.atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(createdAt.plus(config.checkpointRetention()).atOffset(ZoneOffset.UTC));
    }

    private String snapshot(Checkpoint checkpoint, String snapshotJson) {
        return snapshotJson != null
                ? snapshotJson
                : toJson(checkpoint.checkpoint().withRecovered(false));
    }

    /** @return rows inserted */
    private Uni<Integer> insert(String sql, Tuple params) {
        return pool.preparedQuery(sql)
                .execute(params)
                .onFailure(CheckpointRepository::isUniqueViolation)
                .transform(e -> new CheckpointConflictException(params.getString(0), params.getLong(3), e))
                .map(RowSet::rowCount);
    }

    /**
     * One operation of a request, bounded by {@code DB_TIMEOUT}; PostgreSQL being unreachable or too slow becomes
     * {@link DependencyUnavailableException}, any other failure (a unique violation, a bug) stays as it is.
     */
    private <T> Uni<T> bounded(Uni<T> operation) {
        Duration timeout = config.databaseTimeout();
        return operation
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new TimeoutException("no answer from PostgreSQL within " + timeout.toMillis() + " ms"))
                .onFailure(CheckpointRepository::isUnavailable)
                .transform(e -> new DependencyUnavailableException(DependencyUnavailableException.POSTGRESQL, e));
    }

    /**
     * Whether a failure says PostgreSQL cannot be reached or cannot work now: a timeout, a refused, reset or closed
     * connection (an I/O failure other than unreadable JSON), SQLSTATE class 08 (connection exception) or 57P (shutting
     * down, starting, crashed).
     */
    static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // Jackson's exceptions are IOExceptions too: an unreadable row is a bug, not an outage
            if (t instanceof TimeoutException
                    || (t instanceof IOException && !(t instanceof JacksonException))
                    || t instanceof ClosedConnectionException) {
                return true;
            }
            if (t instanceof PgException pg
                    && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    private String toJson(Object value) {
        try {
            return value == null ? "{}" : mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise checkpoint", e);
        }
    }

    private <T> T parse(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable checkpoint JSON", e);
        }
    }
}
