package dev.switchboard.supervisor.erasure;

import java.time.Instant;
import java.util.UUID;

/**
 * One completed erasure, as answered and as audited in {@code supervisor.erasures}: who asked, when, how much was
 * removed; never whose data it was (the audit keeps only the SHA-256 of the subject) nor any content.
 *
 * @param erasureId   the audit row's id
 * @param subject     {@code user} or {@code contact}
 * @param requestedBy the caller's name (API key name or JWT subject), or {@link #SELF}
 * @param requestedAt when it completed
 * @param counts      what was removed, per kind
 */
public record Erasure(UUID erasureId, String subject, String requestedBy, Instant requestedAt, Counts counts) {

    /** {@code requested_by} of a user who erased its own data (its name is what was erased). */
    public static final String SELF = "self";

    /**
     * Rows and keys removed, per kind.
     *
     * @param sessions     sessions (state-service)
     * @param checkpoints  checkpoint rows: the messages, turn records and state of those sessions (state-service)
     * @param queueRows    queued CRM webhook payloads ({@code supervisor.message_queue})
     * @param appointments appointments booked in those sessions ({@code supervisor.appointments})
     * @param users        login accounts ({@code supervisor.users}; 0 or 1)
     * @param redisKeys    Redis keys, in state-service and the supervisor
     */
    public record Counts(int sessions, long checkpoints, int queueRows, int appointments, int users, int redisKeys) {}
}
