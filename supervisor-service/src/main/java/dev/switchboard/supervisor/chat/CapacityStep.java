package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.sessions.AdmissionControl;
import dev.switchboard.supervisor.sessions.CapacityExhaustedException;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Takes one of this replica's concurrency slots (503 {@code capacity-exhausted} when none is free). It comes after
 * the lease on purpose: a turn waiting for its session's lease holds no slot, so one busy session cannot starve the
 * others. The {@link TurnPipeline} gives the slot back when the turn ends.
 */
@ApplicationScoped
class CapacityStep implements TurnStep {

    private final AdmissionControl admission;
    private final SessionLeaseManager leases;

    CapacityStep(AdmissionControl admission, SessionLeaseManager leases) {
        this.admission = admission;
        this.leases = leases;
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        if (!admission.tryAcquire()) {
            leases.rejected("capacity");
            return Uni.createFrom().failure(new CapacityExhaustedException(admission.max()));
        }
        return Uni.createFrom().item(turn.withAdmitted());
    }
}
