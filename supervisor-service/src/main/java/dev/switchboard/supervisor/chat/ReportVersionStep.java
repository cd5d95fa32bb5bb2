package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.rollout.RolloutMonitor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the {@link RolloutMonitor} how the agent version did (outcome and latency), for agents with canaries: a
 * canary whose error rate or latency crosses its limits is rolled back. Never fails a turn.
 */
@ApplicationScoped
class ReportVersionStep implements TurnStep {

    private final RolloutMonitor monitor;

    ReportVersionStep(RolloutMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        if (!turn.decision().agent().versionsOrEmpty().isEmpty()) {
            monitor.record(
                    turn.agent().name(), turn.agent().version(), turn.canary(), turn.executionNanos(), !turn.failed());
        }
        return Uni.createFrom().item(turn);
    }
}
