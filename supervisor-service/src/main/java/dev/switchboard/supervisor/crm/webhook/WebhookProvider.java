package dev.switchboard.supervisor.crm.webhook;

import java.time.Instant;
import java.util.Optional;
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
     * Whether the provider is switched off by its configuration; an off provider answers every delivery like an
     * unknown one (404 {@code webhook-provider-not-found}, the reason as detail) and never reads the body.
     *
     * @return why it is off (naming the missing setting), or empty when it takes deliveries
     */
    default Optional<String> disabledReason() {
        return Optional.empty();
    }

    /**
     * Verifies and parses one delivery. Called on a worker thread, never on the event loop: signature checks and
     * JSON parsing are CPU work.
     *
     * @param rawBody the request body exactly as received
     * @param headers header lookup by name (case-insensitive), returns {@code null} when absent
     * @param now     the current instant (timestamp window)
     * @return the event; fails with {@link InvalidWebhookSignatureException} (401: bad or missing signature or
     *         secret, missing or stale timestamp), {@link MalformedWebhookException} (400: not JSON, missing ids) or
     *         {@link LocationNotAllowedException} (403: authentic, but for a location or app we do not serve)
     */
    WebhookEvent accept(byte[] rawBody, Function<String, String> headers, Instant now);
}
