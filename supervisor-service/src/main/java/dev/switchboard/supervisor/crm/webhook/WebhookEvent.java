package dev.switchboard.supervisor.crm.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A verified, parsed webhook event, ready to be queued.
 *
 * @param provider         provider name, e.g. {@code ghl}
 * @param eventId          dedup key: the provider's event id ({@code webhookId}), else {@code sha256:<hex of body>}
 * @param eventType        e.g. {@code InboundMessage}, {@code ContactCreate}
 * @param disposition      what the queue does with it
 * @param locationId       GHL location id, may be {@code null}
 * @param contactId        GHL contact id, may be {@code null}
 * @param channel          reply channel for the conversations API ({@code SMS}, {@code Email}, ...), may be
 *                         {@code null}
 * @param message          the contact's text (for {@link Disposition#PROCESS}), else may be {@code null}
 * @param providerMessageId the provider's message id (inbound or outbound), may be {@code null}
 * @param payload          the event body as received (after verification)
 */
public record WebhookEvent(
        String provider,
        String eventId,
        String eventType,
        Disposition disposition,
        String locationId,
        String contactId,
        String channel,
        String message,
        String providerMessageId,
        JsonNode payload) {

    /** What happens to an accepted event. */
    public enum Disposition {
        /** Queued as {@code pending}: a chat turn in the contact's session, the reply sent back. */
        PROCESS,
        /** Stored as {@code recorded} (contact created, appointment created, a person's outbound message, a call). */
        RECORD,
        /** Acknowledged and dropped: unknown type, or our own reply echoed back (loop guard). */
        IGNORE
    }

    /** @return a copy with another disposition */
    public WebhookEvent withDisposition(Disposition other) {
        return new WebhookEvent(
                provider,
                eventId,
                eventType,
                other,
                locationId,
                contactId,
                channel,
                message,
                providerMessageId,
                payload);
    }
}
