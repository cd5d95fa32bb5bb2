package dev.switchboard.state.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.state.Checkpoint;
import dev.switchboard.state.CheckpointSummary;
import dev.switchboard.state.Session;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checkpoints in PostgreSQL ({@code state.checkpoints}), the durable source of truth for sessions. Inserting
 * version {@code v} twice for one session fails with {@link CheckpointConflictException}: this is what makes
 * concurrent session writes safe.
 */
@ApplicationScoped
public class CheckpointRepository {

    // thread_id: the session id, under the column name LangGraph users migrate from

    private static final String COLUMNS =
            "thread_id, checkpoint_id, parent_id, version, checkpoint::text AS checkpoint, "
                    + "metadata::text AS metadata, created_at";

    private final Pool pool;
    private final ObjectMapper mapper;

    /** @param pool the reactive PostgreSQL pool */
    public CheckpointRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /**
     * Inserts a checkpoint (one auto-committed statement).
     *
     * @throws CheckpointConflictException (as failure) when the session already has this version
     */
    public Uni<Void> insertCheckpoint(Checkpoint checkpoint) {
        return insertCheckpoint(checkpoint, null);
    }

    /**
     * Inserts a checkpoint whose snapshot is already serialised (the same JSON the Redis copy gets, so a write
     * serialises the session once).
     *
     * @param snapshotJson the snapshot as JSON (with {@code recovered=false}), or {@code null} to serialise here
     * @throws CheckpointConflictException (as failure) when the session already has this version
     */
    public Uni<Void> insertCheckpoint(Checkpoint checkpoint, String snapshotJson) {
        Session snapshot = checkpoint.checkpoint().withRecovered(false);
        Tuple params = Tuple.tuple()
                .addString(checkpoint.sessionId())
                .addString(checkpoint.checkpointId())
                .addString(checkpoint.parentId())
                .addLong(checkpoint.version())
                .addString(snapshot.userId())
                .addString(snapshotJson != null ? snapshotJson : toJson(snapshot))
                .addString(toJson(checkpoint.metadata()))
                .addOffsetDateTime(checkpoint.createdAt().atOffset(ZoneOffset.UTC));
        return pool.preparedQuery("""
                INSERT INTO state.checkpoints
                  (thread_id, checkpoint_id, parent_id, version, user_id, checkpoint, metadata, created_at)
                VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $8)
                """)
                .execute(params)
                .onFailure(CheckpointRepository::isUniqueViolation)
                .transform(e -> new CheckpointConflictException(checkpoint.sessionId(), checkpoint.version(), e))
                .replaceWithVoid();
    }

    /** @return the session's highest-version checkpoint, or {@code null} item when it has none */
    public Uni<Checkpoint> findLatestCheckpoint(String sessionId) {
        return pool.preparedQuery("SELECT " + COLUMNS
                        + " FROM state.checkpoints WHERE thread_id = $1 ORDER BY version DESC LIMIT 1")
                .execute(Tuple.of(sessionId))
                .map(rows ->
                        rows.size() == 0 ? null : toCheckpoint(rows.iterator().next()));
    }

    /** @return the checkpoint, or {@code null} item when the session has no such checkpoint */
    public Uni<Checkpoint> findCheckpoint(String sessionId, String checkpointId) {
        return pool.preparedQuery(
                        "SELECT " + COLUMNS + " FROM state.checkpoints WHERE thread_id = $1 AND checkpoint_id = $2")
                .execute(Tuple.of(sessionId, checkpointId))
                .map(rows ->
                        rows.size() == 0 ? null : toCheckpoint(rows.iterator().next()));
    }

    /**
     * Lists checkpoints newest first.
     *
     * @param beforeVersion only versions below this one, or {@code null} for the newest
     * @param limit         maximum rows
     */
    public Uni<List<CheckpointSummary>> listCheckpoints(String sessionId, Long beforeVersion, int limit) {
        return pool.preparedQuery("""
                        SELECT checkpoint_id, parent_id, version, metadata::text AS metadata, created_at
                        FROM state.checkpoints
                        WHERE thread_id = $1 AND ($2::bigint IS NULL OR version < $2)
                        ORDER BY version DESC LIMIT $3
                        """)
                .execute(Tuple.of(sessionId, beforeVersion, limit))
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
        return pool.preparedQuery("DELETE FROM state.checkpoints WHERE thread_id = $1 RETURNING user_id")
                .execute(Tuple.of(sessionId))
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

    /** @return the ids of every session with checkpoints owned by the user */
    public Uni<List<String>> findSessionIdsForUser(String userId) {
        return pool.preparedQuery("SELECT DISTINCT thread_id FROM state.checkpoints WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("thread_id")));
                    return ids;
                });
    }

    /**
     * Rows removed by {@link #deleteCheckpoints}.
     *
     * @param rows    number of checkpoints deleted
     * @param userIds owners recorded on them
     */
    public record DeletedCheckpoints(int rows, Set<String> userIds) {}

    private Checkpoint toCheckpoint(Row row) {
        return new Checkpoint(
                row.getString("thread_id"),
                row.getString("checkpoint_id"),
                row.getString("parent_id"),
                row.getLong("version"),
                parse(row.getString("checkpoint"), Session.class),
                parse(row.getString("metadata"), ObjectNode.class),
                row.getOffsetDateTime("created_at").toInstant());
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
