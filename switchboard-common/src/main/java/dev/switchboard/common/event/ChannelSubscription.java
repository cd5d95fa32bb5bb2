package dev.switchboard.common.event;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A Redis pub/sub subscription that stays subscribed: when it cannot subscribe, or its connection ends or fails
 * (Redis restart, dropped connection, {@code CLIENT KILL}), it subscribes again after a back-off that starts at
 * {@code initialBackoff}, doubles per failed attempt up to {@code maxBackoff} (each delay stretched by up to a quarter
 * at random, so replicas do not all come back at once) and starts over once subscribed. One loss makes one new
 * attempt, however many of the connection's callbacks report it. {@link #close()} stops it for good.
 *
 * <p>Messages published while no subscription was in place are lost (pub/sub keeps nothing). {@code onResubscribed}
 * runs after every successful subscription but the first, which is where a consumer makes up for that (a full
 * refresh, dropping a cache).
 *
 * <p>Not a bean: a service's subscriber opens one per channel at start and closes it at shutdown.
 */
public final class ChannelSubscription implements AutoCloseable {

    /** The default first pause before subscribing again. */
    public static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
    /** The default longest pause between attempts. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /**
     * How long one attempt to subscribe may take. Right after its connection was killed, an attempt can stay
     * unanswered (neither subscribed nor failed); past this it counts as lost and the next one starts.
     */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

    private static final Logger LOG = Logger.getLogger(ChannelSubscription.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onResubscribed;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    // guarded by this: which attempt is current (a callback of an older one is ignored), and the live subscriber
    private long attempt;
    private ReactiveRedisSubscriber subscriber;
    private boolean closed;
    private boolean everSubscribed;
    private Duration nextBackoff;
    private int failures;

    private ChannelSubscription(
            ReactiveRedisDataSource redis,
            String channel,
            Consumer<String> onMessage,
            Runnable onResubscribed,
            Duration initialBackoff,
            Duration maxBackoff) {
        this.pubsub = redis.pubsub(String.class);
        this.channel = Objects.requireNonNull(channel, "channel");
        this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
        this.onResubscribed = onResubscribed == null ? () -> {} : onResubscribed;
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff");
        }
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.nextBackoff = initialBackoff;
    }

    /**
     * Opens a subscription with the default back-off (500 ms, doubling up to 30 s). See {@link #open(ReactiveRedisDataSource, String, Consumer, Runnable, Duration, Duration)}.
     */
    public static ChannelSubscription open(
            ReactiveRedisDataSource redis, String channel, Consumer<String> onMessage, Runnable onResubscribed) {
        return open(redis, channel, onMessage, onResubscribed, INITIAL_BACKOFF, MAX_BACKOFF);
    }

    /**
     * Starts subscribing to {@code channel} and returns at once; the first attempt runs in the background and is
     * retried like any loss, so a service starts even while Redis is down.
     *
     * @param redis          the Redis client (each subscription holds a connection of its own)
     * @param channel        the channel, e.g. {@code sb:events:agents}
     * @param onMessage      gets each message's payload, on the connection's event-loop thread: it must not block
     *                       (hand blocking work to a worker); an exception it throws is logged and the subscription
     *                       goes on
     * @param onResubscribed runs (on an event-loop thread, must not block) after each successful subscription but the
     *                       first; {@code null} for nothing
     * @param initialBackoff the first pause before subscribing again, more than zero
     * @param maxBackoff     the longest pause, at least {@code initialBackoff}
     * @return the subscription, to {@link #close()} at shutdown
     * @throws IllegalArgumentException for a back-off outside those bounds
     */
    public static ChannelSubscription open(
            ReactiveRedisDataSource redis,
            String channel,
            Consumer<String> onMessage,
            Runnable onResubscribed,
            Duration initialBackoff,
            Duration maxBackoff) {
        ChannelSubscription subscription =
                new ChannelSubscription(redis, channel, onMessage, onResubscribed, initialBackoff, maxBackoff);
        subscription.subscribe();
        return subscription;
    }

    /** @return the channel */
    public String channel() {
        return channel;
    }

    /** @return whether a subscription is in place now (false while waiting to subscribe again, and once closed) */
    public synchronized boolean isSubscribed() {
        return subscriber != null;
    }

    /** @return how many attempts failed or subscriptions were lost since the last successful subscription */
    synchronized int failures() {
        return failures;
    }

    /**
     * Stops for good: no attempt starts after this, and the live subscription, if any, is unsubscribed (in the
     * background; its connection is closed). Idempotent; never fails.
     */
    @Override
    public void close() {
        ReactiveRedisSubscriber live;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            attempt++;
            live = subscriber;
            subscriber = null;
        }
        if (live != null) {
            unsubscribe(live);
        }
        LOG.debugf("Closed the subscription to Redis channel %s", channel);
    }

    private void subscribe() {
        long current;
        synchronized (this) {
            if (closed) {
                return;
            }
            current = ++attempt;
        }
        pubsub.subscribe(
                        List.of(channel),
                        this::deliver,
                        () -> lost(current, "subscription ended"),
                        failure -> lost(current, failure.getMessage()))
                .ifNoItem()
                .after(ATTEMPT_TIMEOUT)
                .failWith(() -> new java.util.concurrent.TimeoutException(
                        "no answer to SUBSCRIBE within " + ATTEMPT_TIMEOUT.toMillis() + " ms"))
                .subscribe()
                .with(live -> subscribed(current, live), failure -> lost(current, failure.getMessage()));
    }

    private void subscribed(long current, ReactiveRedisSubscriber live) {
        boolean again;
        synchronized (this) {
            if (closed || current != attempt) {
                again = false;
                live = stale(live);
            } else {
                subscriber = live;
                again = everSubscribed;
                everSubscribed = true;
                nextBackoff = initialBackoff;
                failures = 0;
            }
        }
        if (live == null) {
            return;
        }
        LOG.infof("Subscribed to Redis channel %s", channel);
        if (again) {
            try {
                onResubscribed.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Catching up after resubscribing to %s failed", channel);
            }
        }
    }

    /** A subscription that came through after it was superseded or closed: dropped at once. */
    private ReactiveRedisSubscriber stale(ReactiveRedisSubscriber live) {
        unsubscribe(live);
        return null;
    }

    private void lost(long current, String reason) {
        Duration delay;
        ReactiveRedisSubscriber old;
        synchronized (this) {
            if (closed || current != attempt) {
                return;
            }
            attempt++; // later callbacks of this attempt are stale now
            old = subscriber;
            subscriber = null;
            failures++;
            delay = nextBackoff;
            Duration doubled = nextBackoff.multipliedBy(2);
            nextBackoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
        }
        if (old != null) {
            unsubscribe(old); // an error may leave the connection open: release it
        }
        long jittered = delay.toMillis() + ThreadLocalRandom.current().nextLong(delay.toMillis() / 4 + 1);
        LOG.warnf("Redis channel %s lost (%s); subscribing again in %d ms", channel, reason, jittered);
        Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(Duration.ofMillis(jittered))
                .subscribe()
                .with(ignored -> subscribe());
    }

    private void deliver(String message) {
        try {
            onMessage.accept(message);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Handling a message of Redis channel %s failed", channel);
        }
    }

    private void unsubscribe(ReactiveRedisSubscriber live) {
        live.unsubscribe()
                .subscribe()
                .with(ignored -> {}, failure -> LOG.debugf("Unsubscribing from %s: %s", channel, failure.getMessage()));
    }
}
