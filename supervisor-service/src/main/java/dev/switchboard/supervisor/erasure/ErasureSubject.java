package dev.switchboard.supervisor.erasure;

import dev.switchboard.common.digest.Sha256;
import dev.switchboard.supervisor.crm.ContactSessions;

/**
 * Whose data an erasure removes: a user (every session it owns, its login account) or a CRM contact (its contact
 * session {@code ghl:<location>:<contact>}, its queued webhook payloads).
 *
 * @param kind       {@code user} or {@code contact}
 * @param userId     the user; for a contact, the contact id (its turns run as that user id)
 * @param locationId the contact's location, or {@code null} for a user
 */
public record ErasureSubject(String kind, String userId, String locationId) {

    /** @return the subject for a user */
    public static ErasureSubject user(String userId) {
        return new ErasureSubject("user", userId, null);
    }

    /** @return the subject for a CRM contact of a GoHighLevel location */
    public static ErasureSubject contact(String locationId, String contactId) {
        return new ErasureSubject("contact", contactId, locationId);
    }

    /** @return whether this is a CRM contact */
    public boolean isContact() {
        return locationId != null;
    }

    /** @return the contact's session id ({@code ghl:<location>:<contact>}); only for a contact */
    public String contactSessionId() {
        return ContactSessions.sessionId(locationId, userId);
    }

    /**
     * @return the SHA-256 (hex) of {@code user:<user_id>} or {@code contact:<location_id>:<contact_id>}: what the audit
     *         keeps instead of the id
     */
    public String sha256() {
        return Sha256.hex(isContact() ? "contact:" + locationId + ":" + userId : "user:" + userId);
    }
}
