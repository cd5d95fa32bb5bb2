package dev.switchboard.supervisor.sessions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.peers.Session;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * The session snapshots this replica received from state-service after its own turns, so the next turn of the
 * same session can skip loading it ({@code POST /sessions}) — one state-service call per turn instead of two.
 *
 * <p>A snapshot is used only when it is provably current: it was stored under the lease whose fencing token
 * is the {@link SessionLease#previousToken() previous token} of the lease now held, i.e. no other request on
 * any replica held the session's lease in between (every turn writes under a lease). Writers without a lease
 * (an operator's {@code PATCH}) are caught by the append's {@code If-Match}: a 412 reloads the session and
 * retries, as before. Bounded by {@code supervisor.session-cache-size} entries (0 = off) and one hour idle.
 * Metric: {@code switchboard.chat.session.loads{source=snapshot|state-service}}.
 */
@ApplicationScoped
public class SessionSnapshots {

    private record Snapshot(Session session, long token) {}

    private final Cache<String, Snapshot> cache;
    private final Counter hits;
    private final Counter loads;

    SessionSnapshots(SupervisorConfig config, MeterRegistry meters) {
        int size = Math.max(0, config.sessionCacheSize());
        this.cache = Caffeine.newBuilder()
                .maximumSize(size)
                .expireAfterAccess(Duration.ofHours(1))
                .build();
        this.hits = Counter.builder("switchboard.chat.session.loads")
                .tag("source", "snapshot")
                .description("Sessions a turn started from: this replica's own snapshot or a state-service load")
                .register(meters);
        this.loads = Counter.builder("switchboard.chat.session.loads")
                .tag("source", "state-service")
                .description("Sessions a turn started from: this replica's own snapshot or a state-service load")
                .register(meters);
    }

    /**
     * The snapshot to start a turn from, if this replica wrote the session's latest turn under the lease just
     * before {@code lease}.
     *
     * @param lease  the lease now held for the session
     * @param userId the requesting user, or {@code null}; a snapshot owned by another user is not used (the
     *               state-service load then answers 409 {@code session-user-mismatch})
     * @return the snapshot, or empty when the session must be loaded from state-service
     */
    public Optional<Session> current(SessionLease lease, String userId) {
        Snapshot snapshot = cache.getIfPresent(lease.sessionId());
        boolean usable = snapshot != null
                && snapshot.token() == lease.previousToken()
                && lease.previousToken() > 0
                && (userId == null
                        || snapshot.session().userId() == null
                        || userId.equals(snapshot.session().userId()));
        if (!usable) {
            if (snapshot != null) {
                cache.invalidate(lease.sessionId());
            }
            loads.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(snapshot.session());
    }

    /** Remembers the session as state-service returned it after a turn written under {@code lease}. */
    public void remember(SessionLease lease, Session session) {
        if (session != null && lease.sessionId().equals(session.sessionId())) {
            cache.put(lease.sessionId(), new Snapshot(session, lease.token()));
        }
    }

    /** Drops the snapshot of a session (after a failed or uncertain write, or its erasure). */
    public void forget(String sessionId) {
        cache.invalidate(sessionId);
    }

    /** Drops every snapshot (erasure notices may have been missed). */
    public void forgetAll() {
        cache.invalidateAll();
    }
}
