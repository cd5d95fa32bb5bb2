package dev.switchboard.supervisor.sessions;

import dev.switchboard.common.event.ChannelSubscription;
import dev.switchboard.common.lease.SessionLeaseKeys;
import dev.switchboard.common.logging.ThrottledWarning;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.ops.SupervisorIdentity;
import dev.switchboard.supervisor.peers.DependencyUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One writer per session across all replicas: a Redis lease per session with a fencing token, and a FIFO queue
 * of waiting messages (double-texting strategy {@code enqueue}).
 *
 * <p>Redis keys (prefix {@code sb:supervisor:}): {@code lease:{sid}} = {@code supervisor|request|token}, PX
 * {@code SESSION_LEASE_TTL}; {@code fence:{sid}} = the last token (1 day TTL, refreshed); {@code waiters:{sid}}
 * ZSET (score = arrival ms from Redis TIME, member = request id); {@code waiters-seen:{sid}} HASH (request id →
 * last poll ms, so a crashed replica's waiter is skipped after one lease TTL). Releases are announced on channel
 * {@code sb:supervisor:lease-released} (payload = session id); waiters also poll as a backstop. The token is
 * {@code max(last + 1, redis now ms)}: monotonic per session even after a Redis flush.
 *
 * <p>Nothing here blocks: waits are Vert.x timers and pub/sub wake-ups; every wait is bounded by
 * {@code SESSION_LEASE_MAX_WAIT}. While a turn runs its lease is renewed every third of the TTL; a renewal that
 * finds the lease gone is logged at WARN and the fencing token makes state-service refuse the final write once
 * another request holds (or held) the session: state-service reads the lease and fence keys
 * ({@link SessionLeaseKeys}) at each fenced write.
 *
 * <p>Redis unreachable, or silent for {@code REDIS_TIMEOUT} (a stall): the message fails at once with 503
 * {@code dependency-unavailable} ({@code Retry-After: 1}), counted as {@code switchboard_lease_rejections_total{reason=
 * "redis-unavailable"}} and logged at WARN at most every 10 s. A lease request that timed out may still reach Redis
 * once it answers again and take the lease; nobody renews it, so it ends after {@code SESSION_LEASE_TTL}.
 */
@ApplicationScoped
public class SessionLeaseManager {

    /** Prefix of every key this class writes (shared with state-service, which fences writes by the lease). */
    public static final String PREFIX = SessionLeaseKeys.PREFIX;
    /** Channel on which released leases are announced (payload: the session id). */
    public static final String RELEASED_CHANNEL = PREFIX + "lease-released";

    static final long FENCE_TTL_MS = Duration.ofDays(1).toMillis();
    private static final Logger LOG = Logger.getLogger(SessionLeaseManager.class);
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final MeterRegistry meters;
    private final SupervisorIdentity identity;
    private final long ttlMs;
    private final RedisLiveness liveness;
    private final ThrottledWarning redisWarning = new ThrottledWarning(LOG, Duration.ofSeconds(10));
    private final long maxWaitMs;
    private final long pollMs;
    private final int maxWaiters;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConcurrentHashMap<String, Set<Waiter>> waitersBySession = new ConcurrentHashMap<>();
    private final Set<SessionLease> held = ConcurrentHashMap.newKeySet();
    private final Counter waits;
    private final Timer waitTime;
    private volatile boolean accepting = true;
    private volatile ChannelSubscription releases;

    SessionLeaseManager(
            ReactiveRedisDataSource redis,
            Vertx vertx,
            SupervisorConfig config,
            MeterRegistry meters,
            SupervisorIdentity identity,
            RedisLiveness liveness) {
        this.redis = redis;
        this.vertx = vertx;
        this.meters = meters;
        this.identity = identity;
        this.ttlMs = Math.max(300, config.lease().ttl().toMillis());
        this.liveness = liveness;
        this.maxWaitMs = Math.max(1, config.lease().maxWait().toMillis());
        this.pollMs = Math.max(5, config.lease().pollInterval().toMillis());
        this.maxWaiters =
                config.lease().maxWaitersPerReplica().orElse(10 * Math.max(1, config.maxConcurrentSessions()));
        this.waits = Counter.builder("switchboard.lease.waits")
                .description("Chat messages that had to wait for their session's lease")
                .register(meters);
        this.waitTime = Timer.builder("switchboard.lease.wait")
                .description("Time from arrival to holding the session lease")
                .publishPercentileHistogram()
                .register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        // waiters poll meanwhile, so a release announced while the subscription is down costs one poll interval;
        // once it is back every waiter tries at once
        releases = ChannelSubscription.open(redis, RELEASED_CHANNEL, this::onReleased, this::wakeAll);
    }

    void onStop(@Observes ShutdownEvent event) {
        accepting = false;
        if (releases != null) {
            releases.close();
        }
    }

    /**
     * Takes the session's lease.
     *
     * @param sessionId  the session
     * @param strategy   {@code enqueue}: wait in arrival order; {@code reject}: fail at once when busy
     * @param newSession the session id was generated for this request (no waiting needed; the lease is still taken)
     * @return the lease; fails with 409 {@code session-busy} (reject), 503 {@code session-busy-timeout} after
     *         {@code SESSION_LEASE_MAX_WAIT}, 503 {@code capacity-exhausted} when too many messages wait on this
     *         replica, 503 {@code shutting-down} while draining, 503 {@code dependency-unavailable} when Redis fails
     */
    public Uni<SessionLease> acquire(String sessionId, MultitaskStrategy strategy, boolean newSession) {
        return Uni.createFrom().emitter(emitter -> {
            if (!accepting) {
                rejected("shutdown");
                emitter.fail(new ShuttingDownException());
                return;
            }
            if (waiting.incrementAndGet() > maxWaiters) {
                waiting.decrementAndGet();
                rejected("queue-full");
                emitter.fail(new CapacityExhaustedException(maxWaiters, true));
                return;
            }
            String mode = newSession ? "new" : strategy == MultitaskStrategy.REJECT ? "reject" : "enqueue";
            Waiter waiter = new Waiter(sessionId, mode, emitter);
            waitersBySession
                    .computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet())
                    .add(waiter);
            emitter.onTermination(waiter::terminated);
            waiter.attempt();
        });
    }

    /**
     * Releases a lease (only while it is still ours) and wakes its waiters. Never fails; idempotent.
     *
     * @param lease the lease from {@link #acquire}
     */
    public Uni<Void> release(SessionLease lease) {
        if (lease == null || !lease.markReleased()) {
            return Uni.createFrom().voidItem();
        }
        cancelTimer(lease.renewTimer);
        held.remove(lease);
        return liveness.bounded(() -> LeaseScripts.RELEASE.run(
                        redis,
                        List.of(leaseKey(lease.sessionId()), waitersKey(lease.sessionId())),
                        lease.value(),
                        RELEASED_CHANNEL,
                        lease.sessionId()))
                .onFailure()
                .invoke(f -> LOG.warnf(
                        "Could not release lease of session %s (expires in %d ms): %s",
                        lease.sessionId(), ttlMs, f.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Shutdown: fails every local waiter with 503 {@code shutting-down} (removing its queue entry) and refuses new
     * acquisitions. Turns that hold a lease keep it until they end.
     *
     * @return completes when the queue entries are removed
     */
    public Uni<Void> drainWaiters() {
        accepting = false;
        List<Uni<Void>> leaves = new ArrayList<>();
        for (Set<Waiter> set : waitersBySession.values()) {
            for (Waiter waiter : set) {
                leaves.add(waiter.abandon(new ShuttingDownException(), "shutdown"));
            }
        }
        return join(leaves);
    }

    /** Accepts acquisitions again after {@link #drainWaiters()} (a drain that was called off, and tests). */
    public void resume() {
        accepting = true;
    }

    /**
     * Shutdown: releases every lease still held (their turns outlived the grace period; fencing refuses their
     * writes once someone else holds the session).
     *
     * @return completes when all are released
     */
    public Uni<Void> releaseAll() {
        List<Uni<Void>> releases = new ArrayList<>();
        for (SessionLease lease : held) {
            releases.add(release(lease));
        }
        return join(releases);
    }

    /** @return messages on this replica waiting for their session's lease */
    public int waiting() {
        return waiting.get();
    }

    /** @return leases this replica holds */
    public int held() {
        return held.size();
    }

    /** @return the per-replica bound of waiting messages */
    public int maxWaiters() {
        return maxWaiters;
    }

    /** Counts a refused message by reason ({@code busy}, {@code timeout}, {@code queue-full}, {@code lost}, ...). */
    public void rejected(String reason) {
        Counter.builder("switchboard.lease.rejections")
                .description("Chat messages refused by the session lease")
                .tag("reason", reason)
                .register(meters)
                .increment();
    }

    /** @return the Redis key of a session's lease ({@link SessionLeaseKeys#leaseKey}) */
    public static String leaseKey(String sessionId) {
        return SessionLeaseKeys.leaseKey(sessionId);
    }

    /** @return the Redis key of a session's last fencing token ({@link SessionLeaseKeys#fenceKey}) */
    public static String fenceKey(String sessionId) {
        return SessionLeaseKeys.fenceKey(sessionId);
    }

    /** @return the Redis key of a session's waiting queue */
    public static String waitersKey(String sessionId) {
        return PREFIX + "waiters:" + sessionId;
    }

    /** @return the Redis key of the last poll time of a session's waiters */
    public static String waitersSeenKey(String sessionId) {
        return PREFIX + "waiters-seen:" + sessionId;
    }

    private void onReleased(String sessionId) {
        Set<Waiter> set = waitersBySession.get(sessionId);
        if (set != null) {
            set.forEach(Waiter::wake);
        }
    }

    /** After a re-subscription: releases announced while it was down were missed, so every waiter tries now. */
    private void wakeAll() {
        waitersBySession.values().forEach(set -> set.forEach(Waiter::wake));
    }

    private void startRenewal(SessionLease lease) {
        long every = Math.max(50, ttlMs / 3);
        lease.renewTimer = vertx.setPeriodic(
                every,
                id -> liveness.bounded(() -> LeaseScripts.RENEW.run(
                                redis, List.of(leaseKey(lease.sessionId())), lease.value(), Long.toString(ttlMs)))
                        .subscribe()
                        .with(
                                reply -> {
                                    if (reply != null && reply.toLong() == 0 && !lease.isLost()) {
                                        lease.markLost();
                                        cancelTimer(lease.renewTimer);
                                        LOG.warnf(
                                                "Lease of session %s (token %d) was lost while its turn ran; its write will be"
                                                        + " refused by fencing if another request took over",
                                                lease.sessionId(), lease.token());
                                    }
                                },
                                failure -> LOG.warnf(
                                        "Could not renew lease of session %s: %s",
                                        lease.sessionId(), failure.getMessage())));
    }

    private void cancelTimer(long id) {
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
    }

    private static Uni<Void> join(List<Uni<Void>> unis) {
        return unis.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join()
                        .all(unis)
                        .andCollectFailures()
                        .onFailure()
                        .recoverWithNull()
                        .replaceWithVoid();
    }

    /** One request trying to take a session's lease: attempts on wake-up or poll until acquired, refused or timed out. */
    private final class Waiter {
        final String sessionId;
        final String requestId = UUID.randomUUID().toString();
        final UniEmitter<? super SessionLease> emitter;
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        final AtomicInteger state = new AtomicInteger(RUNNING);
        volatile String mode;
        volatile boolean wakePending;
        volatile boolean queued;
        volatile boolean counted;
        volatile long timer = -1;

        Waiter(String sessionId, String mode, UniEmitter<? super SessionLease> emitter) {
            this.sessionId = sessionId;
            this.mode = mode;
            this.emitter = emitter;
        }

        void attempt() {
            liveness.bounded(() -> LeaseScripts.ACQUIRE.run(
                            redis,
                            List.of(
                                    leaseKey(sessionId),
                                    fenceKey(sessionId),
                                    waitersKey(sessionId),
                                    waitersSeenKey(sessionId)),
                            requestId,
                            identity.id() + "|" + requestId,
                            Long.toString(ttlMs),
                            mode,
                            Long.toString(maxWaitMs),
                            Long.toString(ttlMs),
                            Long.toString(FENCE_TTL_MS)))
                    .subscribe()
                    .with(this::onReply, this::onError);
        }

        void onReply(Response reply) {
            boolean acquired = reply.get(0).toLong() == 1;
            long value = Long.parseLong(reply.get(1).toString());
            if (acquired) {
                long previous = reply.size() > 2 ? Long.parseLong(reply.get(2).toString()) : 0L;
                SessionLease lease = new SessionLease(
                        sessionId, requestId, value, previous, identity.id() + "|" + requestId + "|" + value);
                if (!finish()) {
                    release(lease).subscribe().with(v -> {}); // cancelled meanwhile: give it back at once
                    return;
                }
                held.add(lease);
                startRenewal(lease);
                waitTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                LOG.debugf("Lease of session %s taken by request %s (token %d)", sessionId, requestId, value);
                emitter.complete(lease);
                return;
            }
            if (state.get() == DONE) {
                if (value >= 0) {
                    queued = true; // cancelled while this attempt joined the queue: leave it again
                    leave().subscribe().with(v -> {});
                }
                return;
            }
            switch (mode) {
                case "reject" -> {
                    if (finish()) {
                        rejected("busy");
                        emitter.fail(new SessionBusyException(sessionId, true));
                    }
                    return;
                }
                case "new" -> {
                    mode = "enqueue"; // a generated id that is somehow held: wait like everyone else
                    attempt();
                    return;
                }
                default -> {
                    queued = true;
                    if (!counted) {
                        counted = true;
                        waits.increment();
                    }
                }
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(now - start);
                LOG.infof("Request %s gave up waiting for session %s after %d ms", requestId, sessionId, waitedMs);
                abandon(new SessionBusyTimeoutException(sessionId, waitedMs), "timeout")
                        .subscribe()
                        .with(v -> {});
                return;
            }
            // the head polls often; the others mostly rely on release notifications
            long delay = value == 0 ? pollMs : Math.min(pollMs * 4, 500);
            delay = Math.max(1, Math.min(delay, TimeUnit.NANOSECONDS.toMillis(deadline - now) + 1));
            state.set(IDLE);
            if (wakePending) {
                wakePending = false;
                wake();
                return;
            }
            timer = vertx.setTimer(delay, id -> wake());
        }

        void onError(Throwable failure) {
            redisWarning.warn(
                    "Lease of session %s unavailable, Redis failed: %s; chat answers 503 dependency-unavailable",
                    sessionId, failure.getMessage());
            abandon(new DependencyUnavailableException("redis", failure), "redis-unavailable")
                    .subscribe()
                    .with(v -> {});
        }

        /** Pub/sub notification or poll timer: attempt now, or right after the attempt in flight. */
        void wake() {
            if (state.compareAndSet(IDLE, RUNNING)) {
                cancelTimer(timer);
                attempt();
            } else if (state.get() == RUNNING) {
                wakePending = true;
            }
        }

        /** Ends the wait with a failure and removes the queue entry. */
        Uni<Void> abandon(Throwable failure, String reason) {
            if (!finish()) {
                return Uni.createFrom().voidItem();
            }
            rejected(reason);
            emitter.fail(failure);
            return leave();
        }

        /** Subscriber cancelled (client went away) or the emitter ended. */
        void terminated() {
            if (finish()) {
                leave().subscribe().with(v -> {});
            }
        }

        /** @return {@code true} when this call ended the wait (exactly once) */
        boolean finish() {
            if (state.getAndSet(DONE) == DONE) {
                return false;
            }
            cancelTimer(timer);
            waiting.decrementAndGet();
            waitersBySession.computeIfPresent(sessionId, (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
            return true;
        }

        Uni<Void> leave() {
            if (!queued) {
                return Uni.createFrom().voidItem();
            }
            return liveness.bounded(() -> LeaseScripts.LEAVE.run(
                            redis,
                            List.of(waitersKey(sessionId), waitersSeenKey(sessionId)),
                            requestId,
                            RELEASED_CHANNEL,
                            sessionId))
                    .onFailure()
                    .invoke(f -> LOG.debugf("Could not leave queue of session %s: %s", sessionId, f.getMessage()))
                    .onFailure()
                    .recoverWithNull()
                    .replaceWithVoid();
        }
    }
}
