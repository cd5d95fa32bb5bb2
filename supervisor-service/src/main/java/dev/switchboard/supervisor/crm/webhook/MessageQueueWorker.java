package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.event.ChannelSubscription;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.common.text.StorableText;
import dev.switchboard.supervisor.chat.ChatRequest;
import dev.switchboard.supervisor.chat.ChatResponse;
import dev.switchboard.supervisor.chat.TurnPipeline;
import dev.switchboard.supervisor.crm.ghl.GhlClient;
import dev.switchboard.supervisor.crm.ghl.GhlMessage;
import dev.switchboard.supervisor.crm.ghl.GhlNotConfiguredException;
import dev.switchboard.supervisor.crm.ghl.GhlRejectedException;
import dev.switchboard.supervisor.crm.ghl.GhlUnavailableException;
import dev.switchboard.supervisor.ops.SupervisorIdentity;
import dev.switchboard.supervisor.peers.DependencyUnavailableException;
import dev.switchboard.supervisor.sessions.GracefulShutdown;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Processes queued webhook messages on any replica: claims due rows ({@link MessageQueueRepository#claim}, woken at
 * once by the Redis channel {@code sb:supervisor:webhooks}, with a poll every {@code WEBHOOK_POLL_INTERVAL} as
 * backstop), at most {@code WEBHOOK_WORKER_CONCURRENCY} at a time, and runs each as a chat turn in the contact's
 * session through {@link TurnPipeline#chat}; the reply goes back through the GHL conversations API.
 *
 * <p>Per row: the agent's reply is saved on the row first; {@code reply_attempted_at} is set just before the send
 * and GHL's message id recorded right after, then the row is {@code completed}. A row reclaimed after a crash (its
 * visibility timeout expired) therefore never triggers a second reply: with an outbound id it is just completed,
 * with a saved reply it is only sent, and with a send of unknown outcome (crash or timeout mid-send) it goes to
 * {@code failed} for an operator to replay rather than risk a duplicate. Failures retry with exponential backoff
 * until {@code WEBHOOK_MAX_ATTEMPTS}, then the row is {@code failed} (dead letter); an open GHL breaker, and Redis
 * or a peer being unavailable before anything was sent (503 {@code dependency-unavailable}: no session lease), make
 * rows wait {@code WEBHOOK_BREAKER_WAIT} without using up attempts, so an outage never dead-letters them; permanent
 * errors (4xx) fail at once.
 *
 * <p>Stops claiming when the replica drains (SIGTERM) and on shutdown waits (bounded by {@code SHUTDOWN_GRACE})
 * for rows in flight; rows it could not finish become claimable again after their visibility timeout.
 */
@ApplicationScoped
public class MessageQueueWorker {

    private static final Logger LOG = Logger.getLogger(MessageQueueWorker.class);
    private static final int MAX_MESSAGE = 8000;

    private final MessageQueueRepository queue;
    private final TurnPipeline chat;
    private final GhlClient ghl;
    private final WebhookConfig.Worker config;
    private final String channel;
    private final WebhookMetrics metrics;
    private final SupervisorIdentity identity;
    private final GracefulShutdown shutdown;
    private final ReactiveRedisDataSource redis;
    private final Duration grace;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private volatile boolean again;
    private volatile boolean stopped;
    private volatile ChannelSubscription wakeUps;

    MessageQueueWorker(
            MessageQueueRepository queue,
            TurnPipeline chat,
            GhlClient ghl,
            WebhookConfig config,
            WebhookMetrics metrics,
            SupervisorIdentity identity,
            GracefulShutdown shutdown,
            ReactiveRedisDataSource redis,
            dev.switchboard.supervisor.config.SupervisorConfig supervisor) {
        this.queue = queue;
        this.chat = chat;
        this.ghl = ghl;
        this.config = config.worker();
        this.channel = config.wakeUpChannel();
        this.metrics = metrics;
        this.identity = identity;
        this.shutdown = shutdown;
        this.redis = redis;
        this.grace = supervisor.shutdownGrace();
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            // a wake-up lost while the subscription is down costs at most one poll; a drain once it is back
            // picks up what arrived meanwhile
            wakeUps = ChannelSubscription.open(redis, channel, message -> drain(), this::drain);
        } else {
            LOG.info("Webhook queue worker disabled on this replica (WEBHOOK_WORKER_ENABLED=false)");
        }
    }

    /** Stops claiming, then waits (bounded) for rows in flight; unfinished rows reappear after their visibility timeout. */
    void onShutdown(@Observes ShutdownEvent event) {
        stopped = true;
        if (wakeUps != null) {
            wakeUps.close();
        }
        long deadline = System.nanoTime()
                + Math.min(grace.toNanos(), Duration.ofSeconds(10).toNanos());
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warnf(
                    "Shutting down with %d webhook rows in flight; they are reclaimed after their visibility"
                            + " timeout (%s)",
                    inFlight.get(), config.visibilityTimeout());
        }
    }

    /** Backstop poll: refreshes the queue-depth gauges (and the intake's back-pressure view) and drains. */
    @Scheduled(
            every = "${supervisor.webhook.worker.poll-interval:2s}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        queue.countByStatus()
                .subscribe()
                .with(metrics::depth, failure -> LOG.debugf("Queue depth query failed: %s", failure.getMessage()));
        drain();
    }

    /** @return rows this replica is processing now */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Claims as many due rows as there are free slots and starts them; safe to call from anywhere, any number of
     * times (one claim at a time per replica; a call during a claim schedules another).
     */
    public void drain() {
        if (!config.enabled() || stopped || shutdown.isDraining()) {
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            again = true;
            return;
        }
        again = false;
        int free = config.concurrency() - inFlight.get();
        if (free <= 0) {
            claiming.set(false);
            return;
        }
        queue.claim(free, UUID.randomUUID(), identity.id(), config.visibilityTimeout())
                .subscribe()
                .with(
                        claim -> {
                            claim.abandoned().forEach(this::abandoned);
                            List<QueueRow> rows = claim.rows();
                            rows.forEach(this::start);
                            claiming.set(false);
                            if (again || (!rows.isEmpty() && rows.size() < free)) {
                                drain();
                            }
                        },
                        failure -> {
                            claiming.set(false);
                            LOG.warnf("Claiming webhook rows failed: %s", failure.getMessage());
                        });
    }

    private void start(QueueRow row) {
        inFlight.incrementAndGet();
        process(row).subscribe().with(ignored -> done(), failure -> {
            LOG.errorf(failure, "Webhook row %d: unexpected failure while recording its outcome", row.id());
            done();
        });
    }

    private void done() {
        inFlight.decrementAndGet();
        drain();
    }

    /** One claimed row, from wherever its previous attempt stopped. */
    Uni<Void> process(QueueRow row) {
        Progress progress = new Progress();
        Uni<Void> work;
        if (row.outboundMessageId() != null) {
            LOG.infof(
                    "Webhook row %d: reply %s already sent before a crash; completing without resending",
                    row.id(), row.outboundMessageId());
            work = complete(row, row.processedByAgent());
        } else if (row.replyAttemptedAt() != null) {
            work = deadLetter(
                    row,
                    row.processedByAgent(),
                    "The reply's send was interrupted (crash or timeout) and"
                            + " its delivery is unknown; not resent automatically (at most one reply). Replay to send it");
        } else if (row.reply() != null) {
            work = send(row, row.reply(), row.processedByAgent(), progress);
        } else {
            work = runTurn(row, progress);
        }
        return work.onFailure().recoverWithUni(failure -> handleFailure(row, failure, progress));
    }

    private Uni<Void> runTurn(QueueRow row, Progress progress) {
        String message = StorableText.cut(row.message(), MAX_MESSAGE); // never half a surrogate pair
        ChatRequest request = new ChatRequest(message, row.langgraphThreadId(), row.contactId(), null, "enqueue");
        return chat.chatInContactSession(request).chain(response -> {
            progress.agent = response.agent();
            String reply = response.response() == null ? "" : response.response();
            return queue.saveReply(
                            row,
                            reply,
                            response.agent(),
                            response.turnId(),
                            workflowState(response),
                            config.visibilityTimeout())
                    .chain(saved -> saved ? send(row, reply, response.agent(), progress) : claimLost(row));
        });
    }

    private Uni<Void> send(QueueRow row, String reply, String agent, Progress progress) {
        progress.agent = agent;
        if (reply.isBlank()) {
            LOG.infof("Webhook row %d: the agent's reply is empty; nothing sent", row.id());
            return complete(row, agent);
        }
        return queue.markReplyAttempt(row, config.visibilityTimeout()).chain(marked -> {
            if (!marked) {
                return claimLost(row);
            }
            progress.sending = true;
            return ghl.sendMessage(new GhlMessage(
                            row.channel() == null ? "SMS" : row.channel(),
                            row.contactId(),
                            reply,
                            "Email".equals(row.channel()) ? subject(row) : null))
                    .chain(sent -> {
                        progress.outboundId = sent.messageId();
                        return queue.recordOutbound(row, sent.messageId() == null ? "unknown" : sent.messageId());
                    })
                    .chain(recorded -> recorded ? complete(row, agent) : claimLost(row));
        });
    }

    private Uni<Void> complete(QueueRow row, String agent) {
        return queue.complete(row).chain(done -> {
            if (!done) {
                return claimLost(row);
            }
            metrics.turn(agent, "completed");
            metrics.completed(Duration.between(row.createdAt(), OffsetDateTime.now()));
            LOG.infof(
                    "Webhook row %d completed (contact %s, agent %s, attempt %d)",
                    row.id(), row.contactId(), agent, row.attempts());
            if (agent == null || row.langgraphThreadId() == null) {
                return Uni.createFrom().voidItem();
            }
            return queue.previousAgent(row.langgraphThreadId(), row.id())
                    .invoke(previous -> previous.ifPresent(from -> metrics.transition(from, agent)))
                    .replaceWithVoid()
                    .onFailure()
                    .recoverWithNull();
        });
    }

    private Uni<Void> handleFailure(QueueRow row, Throwable failure, Progress progress) {
        String detail = failure instanceof ProblemException p ? p.getMessage() : failure.toString();
        if (progress.outboundId != null) {
            return deadLetter(
                    row,
                    progress.agent,
                    "The reply was sent (message " + progress.outboundId + ") but recording it failed: " + detail);
        }
        boolean surelyNotSent = !progress.sending
                || failure instanceof GhlUnavailableException
                || failure instanceof GhlRejectedException
                || failure instanceof GhlNotConfiguredException;
        if (!surelyNotSent) {
            return deadLetter(
                    row,
                    progress.agent,
                    "The reply's delivery is unknown (" + detail
                            + "); not resent automatically (at most one reply). Replay to send it");
        }
        if (failure instanceof GhlUnavailableException unavailable && unavailable.breakerOpen()) {
            LOG.infof("Webhook row %d waits: GoHighLevel breaker open", row.id());
            return queue.retryLater(row, config.breakerWait(), detail, true, false)
                    .replaceWithVoid();
        }
        if (failure instanceof DependencyUnavailableException) {
            LOG.infof("Webhook row %d waits: %s", row.id(), detail);
            return queue.retryLater(row, config.breakerWait(), detail, true, false)
                    .replaceWithVoid();
        }
        if (!retryable(failure)) {
            return deadLetter(row, progress.agent, detail);
        }
        if (row.attempts() >= row.maxAttempts()) {
            return deadLetter(row, progress.agent, "Gave up after " + row.attempts() + " attempts: " + detail);
        }
        Duration delay = backoff(row.attempts(), failure);
        metrics.turn(progress.agent, "retried");
        LOG.infof(
                "Webhook row %d attempt %d failed (%s); retry in %d ms",
                row.id(), row.attempts(), detail, delay.toMillis());
        return queue.retryLater(row, delay, detail, true, true).replaceWithVoid();
    }

    private Uni<Void> deadLetter(QueueRow row, String agent, String error) {
        metrics.turn(agent, "failed");
        LOG.warnf("Webhook row %d failed (dead letter): %s", row.id(), error);
        return queue.fail(row, error).replaceWithVoid();
    }

    private void abandoned(MessageQueueRepository.Abandoned row) {
        metrics.turn(row.agent(), "failed");
        LOG.warnf(
                "Webhook row %d failed (dead letter): %d claims expired without an outcome (the replica processing it"
                        + " stopped each time)",
                row.id(), row.attempts());
    }

    private Uni<Void> claimLost(QueueRow row) {
        LOG.warnf("Webhook row %d: claim expired and was taken over; this attempt stops", row.id());
        return Uni.createFrom().voidItem();
    }

    /** 4xx problems (validation, not found, GHL rejected) are permanent; the rest may pass. */
    static boolean retryable(Throwable failure) {
        if (failure instanceof GhlRejectedException || failure instanceof GhlNotConfiguredException) {
            return false;
        }
        if (failure instanceof ProblemException p) {
            return p.status() >= 500 || p.status() == 429 || p.status() == 409 || p.status() == 408;
        }
        return true;
    }

    /** {@code retry-backoff × 2^(attempt-1)}, capped, ±20 % jitter; at least a 429's {@code Retry-After} (the rate limit). */
    Duration backoff(int attempt, Throwable failure) {
        long base = config.retryBackoff().toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(base, config.maxRetryBackoff().toMillis());
        long jittered =
                (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        if (failure instanceof ProblemException p
                && p.status() == 429
                && p.headers().containsKey("Retry-After")) {
            try {
                jittered = Math.max(jittered, Long.parseLong(p.headers().get("Retry-After")) * 1000);
            } catch (NumberFormatException e) {
                // keep the computed delay
            }
        }
        return Duration.ofMillis(jittered);
    }

    private static Map<String, Object> workflowState(ChatResponse response) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("session_id", response.sessionId());
        state.put("turn_id", response.turnId());
        state.put("checkpoint_id", response.checkpointId());
        if (response.routing() != null) {
            state.put(
                    "routing",
                    Map.of(
                            "method",
                            response.routing().method(),
                            "score",
                            response.routing().score()));
        }
        return state;
    }

    private static String subject(QueueRow row) {
        Object subject = row.payload().get("subject");
        return subject == null || subject.toString().isBlank() ? "Re: your message" : "Re: " + subject;
    }

    /** What one attempt got to, for classifying its failure. */
    private static final class Progress {
        volatile String agent;
        volatile boolean sending;
        volatile String outboundId;
    }
}
