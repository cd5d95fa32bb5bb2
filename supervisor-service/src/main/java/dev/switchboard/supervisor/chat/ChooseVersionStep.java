package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.rollout.RolloutMonitor;
import dev.switchboard.supervisor.rollout.VersionAssignments;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Chooses which version of the routed agent runs the turn: the stable one, or the canary the session is assigned to
 * ({@link VersionAssignments}: sticky per session, never to a canary this replica rolled back). Agents without
 * canaries keep the stable version. Never fails a turn.
 */
@ApplicationScoped
class ChooseVersionStep implements TurnStep {

    private final VersionAssignments assignments;
    private final RolloutMonitor monitor;

    ChooseVersionStep(VersionAssignments assignments, RolloutMonitor monitor) {
        this.assignments = assignments;
        this.monitor = monitor;
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        AgentDescriptor agent = turn.decision().agent();
        monitor.observe(agent); // also when the canaries are gone: a removed version counts as weight 0
        if (agent.versionsOrEmpty().isEmpty()) {
            return Uni.createFrom().item(turn);
        }
        return assignments
                .resolve(agent, turn.sessionId(), monitor.rolledBack(agent.name()))
                .map(version -> turn.withVersion(version, !version.version().equals(agent.version())));
    }
}
