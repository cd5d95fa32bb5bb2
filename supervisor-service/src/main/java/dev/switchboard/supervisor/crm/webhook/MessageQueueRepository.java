package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.text.StorableText;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code supervisor.message_queue} through the reactive PostgreSQL client. Every change a worker makes to a claimed
 * row is fenced by the claim's token ({@code WHERE claim_token = $n}): once a row's visibility timeout has expired
 * and another replica has claimed it, the first claimer's late writes change nothing.
 */
@ApplicationScoped
public class MessageQueueRepository {

    /** Serialises claims across replicas, so one contact's rows are worked on one at a time, in order. */
    private static final long CLAIM_LOCK = 0x5B0A_0006L;

    private static final String CLAIM = """
            WITH candidates AS (
                SELECT m.id FROM supervisor.message_queue m
                WHERE ((m.status = 'pending' AND m.available_at <= now())
                       OR (m.status = 'processing' AND m.locked_until < now()))
                  -- a row whose every attempt died with its process is dead-lettered (ABANDONED), never claimed again
                  AND (m.status = 'pending' OR m.attempts < m.max_attempts)
                  AND NOT EXISTS (SELECT 1 FROM supervisor.message_queue e
                                  WHERE e.langgraph_thread_id = m.langgraph_thread_id AND e.id < m.id
                                    AND e.status IN ('pending', 'processing'))
                  AND NOT EXISTS (SELECT 1 FROM supervisor.message_queue p
                                  WHERE p.langgraph_thread_id = m.langgraph_thread_id AND p.id <> m.id
                                    AND p.status = 'processing' AND p.locked_until >= now())
                ORDER BY m.id
                LIMIT $1
                FOR UPDATE SKIP LOCKED)
            UPDATE supervisor.message_queue q
               SET status = 'processing', claim_token = $2, claimed_by = $3,
                   locked_until = now() + make_interval(secs => $4), attempts = q.attempts + 1, updated_at = now()
              FROM candidates c
             WHERE q.id = c.id
            RETURNING q.*""";

    /**
     * Rows whose claims all expired without an outcome (the process handling them died each time, e.g. killed by the
     * row itself) once {@code max_attempts} claims were counted: they go to the dead letter instead of being claimed
     * for ever.
     */
    private static final String ABANDONED = """
            UPDATE supervisor.message_queue
               SET status = 'failed', locked_until = NULL, claim_token = NULL, updated_at = now(),
                   last_error = 'Gave up after ' || attempts || ' attempts: no attempt finished (the replica'
                       || ' processing it stopped each time); replay it once the cause is fixed'
             WHERE status = 'processing' AND locked_until < now() AND attempts >= max_attempts
            RETURNING id, processed_by_agent, attempts""";

    private final Pool pool;

    MessageQueueRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores an event unless its {@code (provider, event_id)} exists: the dedup check and the insert are one
     * statement ({@code ON CONFLICT DO NOTHING}), hence one transaction.
     *
     * @param event       the verified event
     * @param status      {@code pending} (to process) or {@code recorded}
     * @param sessionId   the contact's session id, may be {@code null}
     * @param maxAttempts attempts before dead letter
     * @return the new row id, or empty for a duplicate delivery
     */
    public Uni<Optional<Long>> insert(WebhookEvent event, String status, String sessionId, int maxAttempts) {
        Tuple params = Tuple.tuple()
                .addString(event.provider())
                .addString(storable(event.eventId()))
                .addString(storable(event.eventType()))
                .addString(status)
                .addString(event.locationId())
                .addString(event.contactId())
                .addString(storable(event.channel()))
                .addString(storable(event.message()))
                .addString(storable(event.providerMessageId()))
                .addValue(new JsonObject(
                        StorableText.replaceUnstorable(event.payload()).toString()))
                .addString(sessionId)
                .addInteger(maxAttempts);
        return pool.preparedQuery("INSERT INTO supervisor.message_queue (provider, event_id, event_type, status,"
                        + " location_id, contact_id, channel, message, inbound_message_id, payload, langgraph_thread_id,"
                        + " max_attempts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                        + " ON CONFLICT (provider, event_id) DO NOTHING RETURNING id")
                .execute(params)
                .map(rows -> rows.size() == 0
                        ? Optional.<Long>empty()
                        : Optional.of(rows.iterator().next().getLong("id")));
    }

    /** @return whether a reply we sent carries this provider message id (the loop guard for echoed replies) */
    public Uni<Boolean> isOwnOutbound(String messageId) {
        if (messageId == null) {
            return Uni.createFrom().item(false);
        }
        return pool.preparedQuery("SELECT 1 FROM supervisor.message_queue WHERE outbound_message_id = $1 LIMIT 1")
                .execute(Tuple.of(messageId))
                .map(rows -> rows.size() > 0);
    }

    /**
     * Claims up to {@code limit} rows: pending rows that are due and processing rows whose visibility timeout
     * expired (a crashed claimer), oldest first, at most one per contact session and never past an older
     * unfinished row of the same session ({@code FOR UPDATE SKIP LOCKED}, claims serialised by an advisory lock).
     * Each claim counts one attempt, when it is made, so a row whose processing kills the replica still uses up its
     * attempts: in the same transaction, rows whose claim expired after {@code max_attempts} claims become
     * {@code failed} (dead letter) instead.
     *
     * @param limit      most rows
     * @param token      this claim's fencing token
     * @param owner      this replica's id
     * @param visibility how long the rows stay invisible to other claimers
     * @return the claimed rows, and the rows dead-lettered as abandoned
     */
    public Uni<Claim> claim(int limit, UUID token, String owner, Duration visibility) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                .execute(Tuple.of(CLAIM_LOCK))
                .chain(() -> conn.preparedQuery(ABANDONED).execute())
                .chain(abandoned -> conn.preparedQuery(CLAIM)
                        .execute(Tuple.of(limit, token, owner, seconds(visibility)))
                        .map(claimed -> new Claim(rows(claimed), abandoned(abandoned)))));
    }

    /**
     * What one claim did.
     *
     * @param rows      the rows claimed for processing
     * @param abandoned the rows dead-lettered because {@code max_attempts} claims expired without an outcome
     */
    public record Claim(List<QueueRow> rows, List<Abandoned> abandoned) {}

    /**
     * A row dead-lettered because every attempt died with its process.
     *
     * @param id       the row
     * @param agent    the agent that had taken it, or {@code null}
     * @param attempts the claims counted
     */
    public record Abandoned(long id, String agent, int attempts) {}

    private static List<Abandoned> abandoned(RowSet<Row> rows) {
        List<Abandoned> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(new Abandoned(row.getLong("id"), row.getString("processed_by_agent"), row.getInteger("attempts")));
        }
        return out;
    }

    /**
     * Saves the agent's answer before it is sent (fenced; extends the visibility timeout). The turn id goes into the
     * column {@code langgraph_run_id}, the name CRM users migrate with.
     */
    public Uni<Boolean> saveReply(
            QueueRow row,
            String reply,
            String agent,
            String turnId,
            Map<String, Object> workflowState,
            Duration visibility) {
        return fenced(
                "reply = $3, processed_by_agent = $4, langgraph_run_id = $5,"
                        + " workflow_state = workflow_state || $6, locked_until = now() + make_interval(secs => $7)",
                row,
                reply,
                agent,
                turnId,
                new JsonObject(workflowState),
                seconds(visibility));
    }

    /** Marks the send as started (fenced): a crash from here on leaves the outcome unknown, so no automatic resend. */
    public Uni<Boolean> markReplyAttempt(QueueRow row, Duration visibility) {
        return fenced(
                "reply_attempted_at = now(), locked_until = now() + make_interval(secs => $3)",
                row,
                seconds(visibility));
    }

    /** Records the provider's id of our reply (fenced), before the row is completed. */
    public Uni<Boolean> recordOutbound(QueueRow row, String outboundMessageId) {
        return fenced("outbound_message_id = $3", row, outboundMessageId);
    }

    /** Completes the row (fenced) and ends the claim. */
    public Uni<Boolean> complete(QueueRow row) {
        return fenced(
                "status = 'completed', completed_at = now(), locked_until = NULL, claim_token = NULL,"
                        + " last_error = NULL",
                row);
    }

    /**
     * Puts the row back to {@code pending} after {@code delay} (fenced).
     *
     * @param clearReplyAttempt whether the send surely did not happen (it may be sent again)
     * @param countAttempt      {@code false} to give the claim's attempt back (e.g. an open breaker: nothing tried)
     */
    public Uni<Boolean> retryLater(
            QueueRow row, Duration delay, String error, boolean clearReplyAttempt, boolean countAttempt) {
        return fenced(
                "status = 'pending', available_at = now() + make_interval(secs => $3), last_error = $4,"
                        + " locked_until = NULL, claim_token = NULL"
                        + (clearReplyAttempt ? ", reply_attempted_at = NULL" : "")
                        + (countAttempt ? "" : ", attempts = GREATEST(attempts - 1, 0)"),
                row,
                seconds(delay),
                error);
    }

    /** Moves the row to {@code failed}, the dead letter (fenced). */
    public Uni<Boolean> fail(QueueRow row, String error) {
        return fenced("status = 'failed', last_error = $3, locked_until = NULL, claim_token = NULL", row, error);
    }

    /**
     * Sets {@code appointment_booked} on the row being processed for the session (one at a time per session), and
     * adds the appointment's id to its {@code workflow_state.appointments}.
     *
     * @return rows changed (0 when the session has no row in processing, e.g. a plain {@code /chat} session)
     */
    public Uni<Integer> markAppointmentBooked(String sessionId, String appointmentId) {
        return pool.preparedQuery("UPDATE supervisor.message_queue SET appointment_booked = true,"
                        + " workflow_state = jsonb_set(workflow_state, '{appointments}',"
                        + " COALESCE(workflow_state->'appointments', '[]'::jsonb) || to_jsonb($2::text)), updated_at = now()"
                        + " WHERE langgraph_thread_id = $1 AND status = 'processing'")
                .execute(Tuple.of(sessionId, appointmentId))
                .map(RowSet::rowCount);
    }

    /** @return the agent of the contact's latest completed row before {@code beforeId}, if any */
    public Uni<Optional<String>> previousAgent(String sessionId, long beforeId) {
        return pool.preparedQuery("SELECT processed_by_agent FROM supervisor.message_queue"
                        + " WHERE langgraph_thread_id = $1 AND id < $2 AND processed_by_agent IS NOT NULL"
                        + " ORDER BY id DESC LIMIT 1")
                .execute(Tuple.of(sessionId, beforeId))
                .map(rows -> rows.size() == 0
                        ? Optional.<String>empty()
                        : Optional.ofNullable(rows.iterator().next().getString("processed_by_agent")));
    }

    /** @return row counts per status (every status present, zero when none) */
    public Uni<Map<String, Long>> countByStatus() {
        return pool.query("SELECT status, count(*) AS n FROM supervisor.message_queue GROUP BY status")
                .execute()
                .map(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (String s : List.of(
                            QueueRow.PENDING,
                            QueueRow.PROCESSING,
                            QueueRow.COMPLETED,
                            QueueRow.FAILED,
                            QueueRow.RECORDED)) {
                        counts.put(s, 0L);
                    }
                    for (Row r : rows) {
                        counts.put(r.getString("status"), r.getLong("n"));
                    }
                    return counts;
                });
    }

    /**
     * Rows, newest first.
     *
     * @param status   only this status, or {@code null} for all
     * @param limit    most rows
     * @param beforeId only ids below (paging), or {@code null}
     */
    public Uni<List<QueueRow>> list(String status, int limit, Long beforeId) {
        return pool.preparedQuery("SELECT * FROM supervisor.message_queue WHERE ($1::text IS NULL OR status = $1)"
                        + " AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3")
                .execute(Tuple.of(status, beforeId, limit))
                .map(MessageQueueRepository::rows);
    }

    /** @return the row; {@link QueueRowNotFoundException} (404) when there is none */
    public Uni<QueueRow> find(long id) {
        return pool.preparedQuery("SELECT * FROM supervisor.message_queue WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows ->
                        rows.size() == 0 ? null : QueueRow.from(rows.iterator().next()))
                .onItem()
                .ifNull()
                .failWith(() -> new QueueRowNotFoundException(id));
    }

    /**
     * Replays a dead letter: back to {@code pending}, attempts reset, a reply whose send had an unknown outcome
     * may be sent again (the operator decides). Fails with 404 for no row, 409 unless the row is {@code failed}.
     */
    public Uni<QueueRow> replay(long id) {
        return pool.preparedQuery("UPDATE supervisor.message_queue SET status = 'pending', attempts = 0,"
                        + " available_at = now(), reply_attempted_at = NULL, locked_until = NULL, claim_token = NULL,"
                        + " updated_at = now() WHERE id = $1 AND status = 'failed' RETURNING *")
                .execute(Tuple.of(id))
                .chain(rows -> rows.size() > 0
                        ? Uni.createFrom().item(QueueRow.from(rows.iterator().next()))
                        : find(id).chain(row ->
                                Uni.createFrom().failure(new QueueRowNotReplayableException(id, row.status()))));
    }

    /** Runs one read-only monitoring query and returns its rows as maps (column → value). */
    public Uni<List<Map<String, Object>>> query(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < r.size(); i++) {
                    Object v = r.getValue(i);
                    m.put(r.getColumnName(i), v instanceof java.math.BigDecimal d ? d.doubleValue() : v);
                }
                out.add(m);
            }
            return out;
        });
    }

    private Uni<Boolean> fenced(String set, QueueRow row, Object... extra) {
        Tuple params = Tuple.of(row.id(), row.claimToken());
        for (Object o : extra) {
            params.addValue(o instanceof String text ? storable(text) : o);
        }
        return pool.preparedQuery("UPDATE supervisor.message_queue SET " + set + ", updated_at = now()"
                        + " WHERE id = $1 AND claim_token = $2")
                .execute(params)
                .map(rows -> rows.rowCount() == 1);
    }

    private static List<QueueRow> rows(RowSet<Row> rows) {
        List<QueueRow> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(QueueRow.from(r));
        }
        return out;
    }

    /**
     * Text PostgreSQL can store: replies, errors (which may quote a peer's or GoHighLevel's answer) and webhook
     * fields come from third parties, and one U+0000 would fail the whole write.
     */
    private static String storable(String text) {
        return StorableText.replaceUnstorable(text);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
