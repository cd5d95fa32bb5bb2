package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.crm.ContactSessions;
import dev.switchboard.supervisor.crm.webhook.WebhookEvent.Disposition;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Accepts one webhook delivery: the provider authenticates and parses the raw bytes; the event is stored in
 * {@code message_queue} (dedup and insert in one statement) and only then acknowledged; the workers of all replicas
 * are woken through Redis pub/sub. A body over {@code WEBHOOK_MAX_BODY_SIZE} is refused before the provider sees it;
 * the provider's checks run on a worker thread. Every refusal is counted by provider and problem type
 * ({@link WebhookMetrics#refused}). Back-pressure (too many pending rows, too many deliveries being stored at once,
 * database unavailable or slower than {@code DB_TIMEOUT}) → 429 so the provider delivers again. Redis is not needed
 * to accept a delivery: deduplication is the insert itself, and a wake-up that cannot be published is made up for by
 * the workers' poll.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);

    private final Map<String, WebhookProvider> providers;
    private final MessageQueueRepository queue;
    private final WebhookMetrics metrics;
    private final WebhookConfig config;
    private final ReactivePubSubCommands<String> pubsub;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long maxBodyBytes;

    WebhookIntake(
            Instance<WebhookProvider> providers,
            MessageQueueRepository queue,
            WebhookMetrics metrics,
            WebhookConfig config,
            ReactiveRedisDataSource redis) {
        this.providers = providers.stream().collect(Collectors.toMap(WebhookProvider::name, Function.identity()));
        this.queue = queue;
        this.metrics = metrics;
        this.config = config;
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.pubsub = redis.pubsub(String.class);
    }

    /**
     * The outcome of a delivery.
     *
     * @param status  {@code queued} (202), {@code recorded} (202), {@code duplicate} (200), {@code ignored} (202)
     * @param id      the row id ({@code null} for duplicate/ignored)
     * @param eventId the dedup key
     * @param type    the event type
     */
    public record Receipt(String status, Long id, String eventId, String type) {}

    /**
     * Verifies, deduplicates and stores one delivery. The provider's checks (signature, JSON, location) run on a
     * worker thread: they are CPU work that must not hold the event loop.
     *
     * @param providerName the path segment
     * @param rawBody      the body as received
     * @param headers      header lookup (case-insensitive)
     * @return the receipt; fails with 404 {@code webhook-provider-not-found} (unknown or switched-off provider), 413
     *         {@code payload-too-large} (over {@code WEBHOOK_MAX_BODY_SIZE}), 401 {@code invalid-webhook-signature},
     *         400 {@code malformed-webhook}, 403 {@code location-not-allowed}, 429 {@code webhook-backpressure}
     */
    public Uni<Receipt> receive(String providerName, byte[] rawBody, Function<String, String> headers) {
        WebhookProvider provider = providers.get(providerName);
        if (provider == null) {
            // not counted: the name comes from the path and would make one series per guess
            return Uni.createFrom().failure(new WebhookProviderNotFoundException(providerName));
        }
        Optional<String> off = provider.disabledReason();
        if (off.isPresent()) {
            return refuse(providerName, new WebhookProviderNotFoundException(providerName, off.get()));
        }
        if (rawBody.length > maxBodyBytes) {
            return refuse(
                    providerName,
                    new ProblemException(
                            CommonProblem.PAYLOAD_TOO_LARGE,
                            "The webhook body has " + rawBody.length + " bytes; webhooks may have at most "
                                    + maxBodyBytes + " (WEBHOOK_MAX_BODY_SIZE)"));
        }
        return Uni.createFrom()
                .item(() -> provider.accept(rawBody, headers, Instant.now()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(ProblemException.class)
                .invoke(e -> refused(providerName, (ProblemException) e))
                .chain(parsed -> admit(providerName, parsed));
    }

    private <T> Uni<T> refuse(String providerName, ProblemException problem) {
        refused(providerName, problem);
        return Uni.createFrom().failure(problem);
    }

    private void refused(String providerName, ProblemException e) {
        metrics.received(providerName, null, "rejected");
        metrics.refused(providerName, e.type().substring(e.type().lastIndexOf('/') + 1));
        LOG.warnf("Webhook %s refused (%d %s): %s", providerName, e.status(), e.type(), e.getMessage());
    }

    /** An authentic, parsed event: ignored, throttled, or stored. */
    private Uni<Receipt> admit(String providerName, WebhookEvent parsed) {
        if (parsed.disposition() == Disposition.IGNORE) {
            metrics.received(providerName, parsed.eventType(), "ignored");
            LOG.infof(
                    "Webhook %s event %s of type %s ignored (not handled)",
                    providerName, parsed.eventId(), parsed.eventType());
            return Uni.createFrom().item(new Receipt("ignored", null, parsed.eventId(), parsed.eventType()));
        }
        if (parsed.disposition() == Disposition.PROCESS && metrics.pending() >= config.maxPending()) {
            metrics.received(providerName, parsed.eventType(), "throttled");
            return Uni.createFrom()
                    .failure(new WebhookBackPressureException(
                            "The message queue is full (" + metrics.pending() + " pending); deliver again later",
                            30,
                            null));
        }
        if (inFlight.incrementAndGet() > config.maxConcurrentIntake()) {
            inFlight.decrementAndGet();
            metrics.received(providerName, parsed.eventType(), "throttled");
            return Uni.createFrom()
                    .failure(new WebhookBackPressureException(
                            "Too many webhook deliveries at once; deliver again shortly", 1, null));
        }
        return loopGuard(parsed)
                .chain(event -> event.disposition() == Disposition.IGNORE
                        ? Uni.createFrom().item(new Receipt("ignored", null, event.eventId(), event.eventType()))
                        : store(event))
                .onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> {
                    LOG.warnf("Could not store webhook %s event %s: %s", providerName, parsed.eventId(), e.toString());
                    metrics.received(providerName, parsed.eventType(), "throttled");
                    return new WebhookBackPressureException(
                            "The event could not be stored; deliver again shortly", 5, e);
                })
                .onTermination()
                .invoke(inFlight::decrementAndGet);
    }

    /** Our own reply echoed back as OutboundMessage: acknowledged, never stored. */
    private Uni<WebhookEvent> loopGuard(WebhookEvent event) {
        if (!"OutboundMessage".equals(event.eventType()) || event.providerMessageId() == null) {
            return Uni.createFrom().item(event);
        }
        return queue.isOwnOutbound(event.providerMessageId()).map(own -> {
            if (own) {
                LOG.debugf("OutboundMessage %s is our own reply; ignored (loop guard)", event.providerMessageId());
                return event.withDisposition(Disposition.IGNORE);
            }
            return event;
        });
    }

    private Uni<Receipt> store(WebhookEvent event) {
        boolean process = event.disposition() == Disposition.PROCESS;
        String sessionId =
                ContactSessions.isValidPart(event.locationId()) && ContactSessions.isValidPart(event.contactId())
                        ? ContactSessions.sessionId(event.locationId(), event.contactId())
                        : null;
        String status = process ? QueueRow.PENDING : QueueRow.RECORDED;
        return queue.insert(event, status, sessionId, config.worker().maxAttempts())
                .ifNoItem()
                .after(config.storeTimeout())
                .failWith(() -> new TimeoutException("PostgreSQL did not store the event within "
                        + config.storeTimeout().toMillis() + " ms"))
                .map(id -> {
                    if (id.isEmpty()) {
                        metrics.received(event.provider(), event.eventType(), "duplicate");
                        LOG.infof(
                                "Webhook %s event %s is a duplicate delivery; nothing changed",
                                event.provider(), event.eventId());
                        return new Receipt("duplicate", null, event.eventId(), event.eventType());
                    }
                    metrics.received(event.provider(), event.eventType(), process ? "queued" : "recorded");
                    LOG.infof(
                            "Webhook %s event %s (%s) stored as row %d, %s, session %s",
                            event.provider(), event.eventId(), event.eventType(), id.get(), status, sessionId);
                    if (process) {
                        wakeWorkers(id);
                    }
                    return new Receipt(process ? "queued" : "recorded", id.get(), event.eventId(), event.eventType());
                });
    }

    /** Fire and forget: the poll picks the row up anyway if the message is lost. */
    private void wakeWorkers(Optional<Long> id) {
        pubsub.publish(config.wakeUpChannel(), String.valueOf(id.orElse(0L)))
                .ifNoItem()
                .after(config.storeTimeout())
                .fail()
                .subscribe()
                .with(ignored -> {}, failure -> LOG.debugf("Wake-up publish failed: %s", failure.getMessage()));
    }
}
