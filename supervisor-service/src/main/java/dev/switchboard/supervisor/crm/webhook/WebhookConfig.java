package dev.switchboard.supervisor.crm.webhook;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the CRM webhook intake and the durable queue worker ({@code supervisor.webhook.*}), mapped from the
 * environment names in application.properties.
 */
@ConfigMapping(prefix = "supervisor.webhook")
public interface WebhookConfig {

    /** Signed GoHighLevel webhooks ({@code POST /webhooks/ghl}). */
    Ghl ghl();

    /** GoHighLevel workflow "Webhook" action ({@code POST /webhooks/ghl-workflow}): shared secret, field mapping. */
    Workflow workflow();

    /** The queue worker that turns pending rows into chat turns and replies. */
    Worker worker();

    /**
     * Pending rows at which intake answers 429 with {@code Retry-After} ({@code WEBHOOK_MAX_PENDING}); GHL
     * retries only on 429.
     */
    @WithDefault("10000")
    int maxPending();

    /**
     * Largest webhook body ({@code WEBHOOK_MAX_BODY_SIZE}); a longer one is refused with 413 {@code payload-too-large}
     * before it is authenticated or parsed, whether or not it came with a {@code Content-Length}.
     */
    @WithDefault("256K")
    MemorySize maxBodySize();

    /** Webhook requests being stored at once on this replica before 429 ({@code WEBHOOK_MAX_CONCURRENT_INTAKE}). */
    @WithDefault("256")
    int maxConcurrentIntake();

    /**
     * Longest wait for PostgreSQL to store one delivery ({@code DB_TIMEOUT}); past it the delivery is answered 429
     * {@code webhook-backpressure} so the provider delivers it again (deduplicated by event id should the first store
     * still commit). Publishing the workers' wake-up to Redis is bounded by the same time and never fails a delivery.
     */
    @WithDefault("2s")
    Duration storeTimeout();

    /** Redis channel on which a stored event wakes the workers of every replica. */
    @WithDefault("sb:supervisor:webhooks")
    String wakeUpChannel();

    /** Signed GoHighLevel provider. */
    interface Ghl {
        /**
         * Ed25519 public key for {@code x-ghl-signature} ({@code GHL_WEBHOOK_PUBLIC_KEY_ED25519}): PEM or base64
         * SPKI; empty = refuse every signed request (a WARN at startup).
         */
        Optional<String> publicKeyEd25519();

        /** RSA public key for the legacy {@code x-wh-signature} ({@code GHL_WEBHOOK_PUBLIC_KEY_RSA}), PEM or base64. */
        Optional<String> publicKeyRsa();

        /**
         * The GHL locations (sub-accounts) whose deliveries are accepted ({@code GHL_LOCATION_IDS}, comma-separated).
         * GHL signs every app's webhooks with one platform-wide key, so the signature alone does not say the delivery
         * is ours. Unset: {@code GHL_LOCATION_ID} alone; neither set: the {@code ghl} provider is off.
         */
        Optional<List<String>> locationIds();

        /**
         * Our GHL marketplace app id ({@code GHL_APP_ID}); when set, a delivery naming another {@code appId} is
         * refused (403 {@code location-not-allowed}). Deliveries that carry no {@code appId} are judged by location.
         */
        Optional<String> appId();

        /** Largest accepted distance between the event's {@code timestamp} and now ({@code GHL_WEBHOOK_MAX_AGE}). */
        @WithDefault("5m")
        Duration maxAge();
    }

    /** Unsigned workflow provider. */
    interface Workflow {
        /** Shared secret the workflow sends in {@link #secretHeader()} ({@code WEBHOOK_SECRET}); empty = provider off. */
        Optional<String> secret();

        /** Header carrying the secret. */
        @WithDefault("X-Webhook-Secret")
        String secretHeader();

        /** JSON Pointer of the contact id in the workflow's body. */
        @WithDefault("/contact_id")
        String contactIdField();

        /** JSON Pointer of the location id. */
        @WithDefault("/location/id")
        String locationIdField();

        /** JSON Pointer of the contact's message text. */
        @WithDefault("/message/body")
        String messageField();

        /** JSON Pointer of the channel (SMS, Email, ...); absent in the body = {@link #defaultChannel()}. */
        @WithDefault("/message/channel")
        String channelField();

        /** JSON Pointer of a unique event id; absent in the body = a hash of the body. */
        @WithDefault("/event_id")
        String eventIdField();

        /** Reply channel when the body names none. */
        @WithDefault("SMS")
        String defaultChannel();
    }

    /** Queue worker. */
    interface Worker {
        /** Whether this replica claims and processes rows ({@code WEBHOOK_WORKER_ENABLED}). */
        @WithDefault("true")
        boolean enabled();

        /** Rows processed at once on this replica ({@code WEBHOOK_WORKER_CONCURRENCY}). */
        @WithDefault("8")
        int concurrency();

        /** Backstop poll period; Redis pub/sub wakes the worker at once ({@code WEBHOOK_POLL_INTERVAL}). */
        @WithDefault("2s")
        Duration pollInterval();

        /**
         * How long a claimed row stays invisible to other replicas ({@code WEBHOOK_VISIBILITY_TIMEOUT}); a replica
         * that dies mid-processing leaves the row claimable again after it. Must exceed a turn's worst case.
         */
        @WithDefault("3m")
        Duration visibilityTimeout();

        /** Attempts before a row becomes {@code failed} (dead letter) ({@code WEBHOOK_MAX_ATTEMPTS}). */
        @WithDefault("5")
        int maxAttempts();

        /** First retry delay; doubled per attempt, with jitter ({@code WEBHOOK_RETRY_BACKOFF}). */
        @WithDefault("2s")
        Duration retryBackoff();

        /** Longest retry delay. */
        @WithDefault("5m")
        Duration maxRetryBackoff();

        /** Wait before a row whose reply found the GHL breaker open is tried again (no attempt is used up). */
        @WithDefault("5s")
        Duration breakerWait();
    }
}
