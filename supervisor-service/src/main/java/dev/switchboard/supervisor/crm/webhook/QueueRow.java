package dev.switchboard.supervisor.crm.webhook;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * One row of {@code supervisor.message_queue} (the columns CRM users migrate with, plus the queue's own), as the operator endpoints
 * show it (snake_case JSON).
 *
 * @param id                the row id
 * @param provider          e.g. {@code ghl}
 * @param eventId           the dedup key
 * @param eventType         e.g. {@code InboundMessage}
 * @param status            pending, processing, completed, failed, recorded
 * @param locationId        GHL location
 * @param contactId         GHL contact
 * @param channel           reply channel
 * @param message           the contact's text
 * @param inboundMessageId  provider's id of the inbound message
 * @param processedByAgent  the agent that answered
 * @param appointmentBooked whether the turn booked an appointment
 * @param langgraphThreadId our session id
 * @param langgraphRunId    our turn id
 * @param workflowState     routing, checkpoint, appointment ids
 * @param reply             the agent's reply (saved before sending)
 * @param replyAttemptedAt  when the send started (cleared when it surely failed)
 * @param outboundMessageId provider's id of our reply
 * @param attempts          processing attempts so far
 * @param maxAttempts       attempts before dead letter
 * @param lastError         last failure (problem detail)
 * @param availableAt       not claimable before
 * @param lockedUntil       visibility timeout of the current claim
 * @param claimToken        fencing token of the current claim (not shown)
 * @param claimedBy         supervisor id of the current/last claimer
 * @param createdAt         stored at
 * @param updatedAt         last change
 * @param completedAt       completed at
 * @param payload           the event as received
 */
public record QueueRow(
        long id,
        String provider,
        String eventId,
        String eventType,
        String status,
        String locationId,
        String contactId,
        String channel,
        String message,
        String inboundMessageId,
        String processedByAgent,
        boolean appointmentBooked,
        String langgraphThreadId,
        String langgraphRunId,
        Map<String, Object> workflowState,
        String reply,
        OffsetDateTime replyAttemptedAt,
        String outboundMessageId,
        int attempts,
        int maxAttempts,
        String lastError,
        OffsetDateTime availableAt,
        OffsetDateTime lockedUntil,
        @JsonIgnore UUID claimToken,
        String claimedBy,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime completedAt,
        Map<String, Object> payload) {

    /** Row statuses. */
    public static final String PENDING = "pending";
    /** Claimed by a worker. */
    public static final String PROCESSING = "processing";
    /** Answered (or nothing to answer). */
    public static final String COMPLETED = "completed";
    /** Dead letter: out of attempts or a permanent error; replayable. */
    public static final String FAILED = "failed";
    /** Stored for the record, never processed. */
    public static final String RECORDED = "recorded";

    /** Maps a {@code SELECT *} / {@code RETURNING *} row. */
    static QueueRow from(Row r) {
        return new QueueRow(
                r.getLong("id"),
                r.getString("provider"),
                r.getString("event_id"),
                r.getString("event_type"),
                r.getString("status"),
                r.getString("location_id"),
                r.getString("contact_id"),
                r.getString("channel"),
                r.getString("message"),
                r.getString("inbound_message_id"),
                r.getString("processed_by_agent"),
                Boolean.TRUE.equals(r.getBoolean("appointment_booked")),
                r.getString("langgraph_thread_id"),
                r.getString("langgraph_run_id"),
                map(r.getJsonObject("workflow_state")),
                r.getString("reply"),
                r.getOffsetDateTime("reply_attempted_at"),
                r.getString("outbound_message_id"),
                r.getInteger("attempts"),
                r.getInteger("max_attempts"),
                r.getString("last_error"),
                r.getOffsetDateTime("available_at"),
                r.getOffsetDateTime("locked_until"),
                r.getUUID("claim_token"),
                r.getString("claimed_by"),
                r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("updated_at"),
                r.getOffsetDateTime("completed_at"),
                map(r.getJsonObject("payload")));
    }

    private static Map<String, Object> map(io.vertx.core.json.JsonObject json) {
        return json == null ? Map.of() : json.getMap();
    }
}
