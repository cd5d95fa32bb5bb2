package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.sessions.GracefulShutdown;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import dev.switchboard.supervisor.sessions.ShuttingDownException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Admits a turn: refuses it while this replica drains (503 {@code shutting-down}), then spends one token of the
 * caller's rate limit (429 {@code rate-limited}, a Redis token bucket shared by all replicas).
 */
@ApplicationScoped
class AdmitStep implements TurnStep {

    private final GracefulShutdown shutdown;
    private final SessionLeaseManager leases;
    private final RateLimiter rateLimiter;

    AdmitStep(GracefulShutdown shutdown, SessionLeaseManager leases, RateLimiter rateLimiter) {
        this.shutdown = shutdown;
        this.leases = leases;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        if (shutdown.isDraining()) {
            leases.rejected("shutdown");
            return Uni.createFrom().failure(new ShuttingDownException());
        }
        return rateLimiter.admit(turn.caller()).replaceWith(turn);
    }
}
