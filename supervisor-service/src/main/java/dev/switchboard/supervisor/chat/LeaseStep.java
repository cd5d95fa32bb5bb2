package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.sessions.MultitaskStrategy;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Takes the session's lease, so one turn at a time runs per session across all replicas: strategy {@code enqueue}
 * waits in arrival order (503 {@code session-busy-timeout} past the wait limit), {@code reject} fails at once with
 * 409 {@code session-busy}. The {@link TurnPipeline} releases the lease when the turn ends, whatever the outcome.
 */
@ApplicationScoped
class LeaseStep implements TurnStep {

    private final SessionLeaseManager leases;

    LeaseStep(SessionLeaseManager leases) {
        this.leases = leases;
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        return leases.acquire(
                        turn.sessionId(), MultitaskStrategy.of(turn.request().multitaskStrategy()), turn.newSession())
                .map(turn::withLease);
    }
}
