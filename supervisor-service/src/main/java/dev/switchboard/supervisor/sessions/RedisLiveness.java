package dev.switchboard.supervisor.sessions;

import dev.switchboard.supervisor.config.SupervisorConfig;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Bounds the chat path's Redis commands (rate limit, session lease) so that a stalled Redis fails them fast, while a
 * busy one does not. A command still unanswered after {@code REDIS_TIMEOUT} may be stuck behind others in the
 * connection pool (a flood of logins queues hundreds of scripts) or Redis may be silent; a {@code PING} on a connection
 * of its own (Redis client {@code probe}, one connection, never queued behind the others) tells them apart:
 *
 * <ul>
 * <li>the probe answers within twice {@code REDIS_TIMEOUT} (an event loop busy with the flood may be slow to read even
 * a prompt answer): Redis works, the command waits on, up to {@link #BUSY_LIMIT};</li>
 * <li>it does not: the command fails with a {@link TimeoutException}, and for the next {@link #REMEMBER_SILENCE} every
 * bounded command fails at once without being sent, so a stall costs a chat one timeout and one probe, not one per
 * command.</li>
 * </ul>
 *
 * A refused or dropped connection fails the command at once, as the client reports it. A command that was given up may
 * still be carried out once Redis answers again; the callers' commands are safe to arrive late (a lease nobody renews
 * expires after its TTL). Concurrent commands share one probe.
 */
@ApplicationScoped
public class RedisLiveness {

    /** Longest wait for a command while the probe shows Redis answering (as long as a queued chat may wait for its lease). */
    static final Duration BUSY_LIMIT = Duration.ofSeconds(30);
    /** How long a silent probe makes bounded commands fail without being sent. */
    static final Duration REMEMBER_SILENCE = Duration.ofSeconds(1);

    private final ReactiveRedisDataSource probe;
    private final Duration timeout;
    private final Duration probeTimeout;
    // guarded by this: the probe in flight or just answered (shared by the commands that time out meanwhile)
    private CompletableFuture<Boolean> probing;
    private long probedAt;
    private volatile long silentUntil = System.nanoTime();

    RedisLiveness(@RedisClientName("probe") ReactiveRedisDataSource probe, SupervisorConfig config) {
        this.probe = probe;
        this.timeout = config.redisTimeout();
        this.probeTimeout = timeout.multipliedBy(2);
    }

    /**
     * Runs one command, bounded as described above.
     *
     * @param command sends the command when subscribed (called once)
     * @return its reply; fails with its own failure, or with {@link TimeoutException} when Redis is silent (or was a
     *         moment ago) or stays busy past {@link #BUSY_LIMIT}
     */
    public <T> Uni<T> bounded(Supplier<Uni<T>> command) {
        return Uni.createFrom().emitter(emitter -> {
            if (System.nanoTime() - silentUntil < 0) {
                emitter.fail(new TimeoutException("Redis did not answer a moment ago"));
                return;
            }
            CompletableFuture<T> reply = command.get().subscribeAsCompletionStage();
            reply.whenComplete((item, failure) -> {
                if (failure == null) {
                    emitter.complete(item);
                } else {
                    emitter.fail(
                            failure instanceof CompletionException && failure.getCause() != null
                                    ? failure.getCause()
                                    : failure);
                }
            });
            after(timeout)
                    .chain(() -> reply.isDone() ? Uni.createFrom().item(true) : answers())
                    .subscribe()
                    .with(answering -> {
                        if (reply.isDone()) {
                            return;
                        }
                        if (!answering) {
                            emitter.fail(new TimeoutException("no answer from Redis within " + timeout.toMillis()
                                    + " ms, nor to a PING within " + probeTimeout.toMillis() + " ms"));
                            return;
                        }
                        after(BUSY_LIMIT.minus(timeout)).subscribe().with(ignored -> {
                            if (!reply.isDone()) {
                                emitter.fail(new TimeoutException(
                                        "Redis answers, but not this command within " + BUSY_LIMIT.toMillis() + " ms"));
                            }
                        });
                    });
        });
    }

    /** @return whether Redis answers a {@code PING} on the probe connection within twice {@code REDIS_TIMEOUT} */
    private Uni<Boolean> answers() {
        CompletableFuture<Boolean> shared;
        synchronized (this) {
            long now = System.nanoTime();
            if (probing == null || (probing.isDone() && now - probedAt > probeTimeout.toNanos())) {
                probedAt = now;
                probing = probe.execute("PING")
                        .replaceWith(true)
                        .ifNoItem()
                        .after(probeTimeout)
                        .recoverWithItem(false)
                        .onFailure()
                        .recoverWithItem(false)
                        .invoke(answered -> {
                            if (!answered) {
                                silentUntil = System.nanoTime() + REMEMBER_SILENCE.toNanos();
                            }
                        })
                        .subscribeAsCompletionStage();
            }
            shared = probing;
        }
        // a stage of its own per caller: cancelling it never cancels the shared probe
        return Uni.createFrom().completionStage(() -> shared.thenApply(answered -> answered));
    }

    private static Uni<Void> after(Duration delay) {
        return Uni.createFrom().voidItem().onItem().delayIt().by(delay);
    }
}
