package dev.switchboard.supervisor.erasure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The supervisor's rows of a person ({@code supervisor.message_queue}, {@code supervisor.appointments},
 * {@code supervisor.users}) and the erasure audit ({@code supervisor.erasures}). A future table of per-person data
 * (pending approvals) is one more statement in {@link #deleteRows}.
 */
@ApplicationScoped
public class ErasureRepository {

    /**
     * Rows deleted from the supervisor's schema.
     *
     * @param queueRows    webhook payloads
     * @param appointments appointments
     * @param users        login accounts
     */
    public record Deleted(int queueRows, int appointments, int users) {
        Deleted plus(Deleted other) {
            return new Deleted(queueRows + other.queueRows, appointments + other.appointments, users + other.users);
        }
    }

    private final Pool pool;
    private final ObjectMapper mapper;

    ErasureRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /**
     * Deletes, in one transaction, the appointments booked in {@code sessionIds}, and for a contact its queued webhook
     * payloads (by location and contact, or by session), for a user its login account.
     */
    public Uni<Deleted> deleteRows(ErasureSubject subject, Collection<String> sessionIds) {
        String[] sessions = sessionIds.toArray(String[]::new);
        return pool.withTransaction(connection -> count(
                        connection,
                        "DELETE FROM supervisor.appointments WHERE session_id = ANY($1::text[])",
                        Tuple.of(sessions))
                .chain(appointments -> (subject.isContact()
                                ? count(
                                        connection,
                                        "DELETE FROM supervisor.message_queue WHERE (location_id = $1 AND contact_id = $2)"
                                                + " OR langgraph_thread_id = ANY($3::text[])",
                                        Tuple.of(subject.locationId(), subject.userId(), sessions))
                                : Uni.createFrom().item(0))
                        .chain(queueRows -> (subject.isContact()
                                        ? Uni.createFrom().item(0)
                                        : count(
                                                connection,
                                                "DELETE FROM supervisor.users WHERE username = $1",
                                                Tuple.of(subject.userId())))
                                .map(users -> new Deleted(queueRows, appointments, users)))));
    }

    /** Records a completed erasure: the subject's hash, who asked, the counts. */
    public Uni<Void> audit(Erasure erasure, ErasureSubject subject) {
        return pool.preparedQuery("INSERT INTO supervisor.erasures"
                        + " (id, subject_kind, subject_sha256, requested_by, requested_at, counts)"
                        + " VALUES ($1, $2, $3, $4, $5, $6::text::jsonb)")
                .execute(Tuple.from(List.of(
                        erasure.erasureId(),
                        subject.kind(),
                        subject.sha256(),
                        erasure.requestedBy(),
                        erasure.requestedAt().atOffset(ZoneOffset.UTC),
                        json(erasure.counts()))))
                .replaceWithVoid();
    }

    /**
     * @param limit at most this many, newest first
     * @return the audited erasures
     */
    public Uni<List<AuditedErasure>> list(int limit) {
        return pool.preparedQuery("SELECT id, subject_kind, subject_sha256, requested_by, requested_at, counts::text"
                        + " AS counts FROM supervisor.erasures ORDER BY requested_at DESC, id LIMIT $1")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<AuditedErasure> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(new AuditedErasure(
                                row.getUUID("id"),
                                row.getString("subject_kind"),
                                row.getString("subject_sha256"),
                                row.getString("requested_by"),
                                row.getOffsetDateTime("requested_at").toInstant(),
                                new JsonObject(row.getString("counts")).getMap()));
                    }
                    return found;
                });
    }

    private static Uni<Integer> count(SqlConnection connection, String sql, Tuple params) {
        return connection.preparedQuery(sql).execute(params).map(RowSet::rowCount);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise erasure counts", e);
        }
    }
}
