package dev.switchboard.supervisor.rollout;

import dev.switchboard.supervisor.AgentDescriptor;
import dev.switchboard.supervisor.agent.AgentExecutor;
import dev.switchboard.supervisor.agent.AgentReply;
import dev.switchboard.supervisor.agent.AgentRequest;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

/**
 * Canary rollout around every agent execution (a CDI decorator of {@link AgentExecutor}, so the chat path needs no
 * change): resolves the version the session is assigned to ({@link VersionAssignments}; agents without canaries
 * pass straight through), runs the turn as that version (its endpoint, prompt and model), and reports outcome and
 * latency per version to the {@link RolloutMonitor}, which rolls a failing canary back.
 */
@Decorator
@Priority(10)
public class VersionedAgentExecutor implements AgentExecutor {

    @Inject
    @Delegate
    AgentExecutor delegate;

    @Inject
    VersionAssignments assignments;

    @Inject
    RolloutMonitor monitor;

    /**
     * {@inheritDoc}
     *
     * <p>Fails exactly as the delegate does; version resolution itself never fails a turn.
     */
    @Override
    public Uni<AgentReply> execute(AgentRequest request) {
        AgentDescriptor agent = request.agent();
        if (agent.versionsOrEmpty().isEmpty()) {
            return delegate.execute(request);
        }
        monitor.observe(agent);
        return assignments.resolve(agent, request.sessionId(), monitor.rolledBack(agent.name()))
                .chain(version -> {
                    boolean canary = !version.version().equals(agent.version());
                    long start = System.nanoTime();
                    return delegate.execute(request.withAgent(version))
                            .onItemOrFailure().invoke((reply, failure) -> monitor.record(agent.name(),
                                    version.version(), canary, System.nanoTime() - start, failure == null));
                });
    }
}
