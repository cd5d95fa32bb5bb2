package dev.switchboard.supervisor.erasure;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A row of {@code supervisor.erasures} as {@code GET /erasures} lists it.
 *
 * @param erasureId     the erasure
 * @param subject       {@code user} or {@code contact}
 * @param subjectSha256 SHA-256 (hex) of {@code user:<user_id>} or {@code contact:<location_id>:<contact_id>}
 * @param requestedBy   who asked
 * @param requestedAt   when
 * @param counts        what was removed, per kind
 */
public record AuditedErasure(
        UUID erasureId,
        String subject,
        String subjectSha256,
        String requestedBy,
        Instant requestedAt,
        Map<String, Object> counts) {}
