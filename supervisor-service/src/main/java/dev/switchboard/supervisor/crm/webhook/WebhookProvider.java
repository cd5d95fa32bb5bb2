package dev.switchboard.supervisor.crm.webhook;

import java.time.Instant;
import java.util.function.Function;

/**
 * One source of CRM webhooks, addressed as {@code POST /webhooks/{name}}. An implementation authenticates the raw
 * request bytes before it parses anything, then maps the provider's payload onto a {@link WebhookEvent}. New
 * providers (Twilio, HubSpot, ...) are CDI beans implementing this interface.
 */
public interface WebhookProvider {

    /** @return the path segment and the {@code provider} column value, e.g. {@code ghl} */
    String name();

    /**
     * Verifies and parses one delivery.
     *
     * @param rawBody the request body exactly as received
     * @param headers header lookup by name (case-insensitive), returns {@code null} when absent
     * @param now     the current instant (timestamp window)
     * @return the event; fails with {@link InvalidWebhookSignatureException} (401: bad or missing signature or
     *         secret, stale timestamp) or {@link MalformedWebhookException} (400: not JSON, missing ids)
     */
    WebhookEvent accept(byte[] rawBody, Function<String, String> headers, Instant now);
}
