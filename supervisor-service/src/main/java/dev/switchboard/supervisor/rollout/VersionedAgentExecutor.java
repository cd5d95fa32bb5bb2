package dev.switchboard.supervisor.rollout;

import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.agents.AgentExecutor;
import dev.switchboard.supervisor.agents.AgentReply;
import dev.switchboard.supervisor.agents.AgentRequest;
import dev.switchboard.supervisor.prompts.PromptService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Canary rollout around every agent execution (a CDI decorator of {@link AgentExecutor}, so the chat path needs no
 * change): resolves the version the session is assigned to ({@link VersionAssignments}; agents without canaries
 * pass straight through), runs the turn as that version (its endpoint, model and, for llm agents, its system
 * prompt), and reports outcome and
 * latency per version to the {@link RolloutMonitor}, which rolls a failing canary back.
 */
@Decorator
@Priority(10)
public class VersionedAgentExecutor implements AgentExecutor {

    private static final Logger LOG = Logger.getLogger(VersionedAgentExecutor.class);

    @Inject
    @Delegate
    AgentExecutor delegate;

    @Inject
    VersionAssignments assignments;

    @Inject
    RolloutMonitor monitor;

    @Inject
    PromptService prompts;

    /**
     * {@inheritDoc}
     *
     * <p>Fails exactly as the delegate does; version resolution itself never fails a turn.
     */
    @Override
    public Uni<AgentReply> execute(AgentRequest request) {
        AgentDescriptor agent = request.agent();
        monitor.observe(agent); // also when the canaries are gone: a removed version counts as weight 0
        if (agent.versionsOrEmpty().isEmpty()) {
            return delegate.execute(request);
        }
        return assignments.resolve(agent, request.sessionId(), monitor.rolledBack(agent.name()))
                .chain(version -> withPromptOf(request, agent, version).chain(run -> {
                    boolean canary = !version.version().equals(agent.version());
                    if (request.trace() != null) {
                        request.trace().ranAs(version.version(), canary);
                    }
                    long start = System.nanoTime();
                    return delegate.execute(run)
                            .onItemOrFailure().invoke((reply, failure) -> monitor.record(agent.name(),
                                    version.version(), canary, System.nanoTime() - start, failure == null));
                }));
    }

    /**
     * The request as {@code version} runs it. An {@code llm} canary with its own {@code prompt_id} gets that prompt,
     * rendered with the chat path's variables ({@link PromptService#agentVariables}); the chat path rendered the
     * stable one before routing to the executor. A canary prompt that cannot be found keeps the stable prompt (WARN).
     */
    private Uni<AgentRequest> withPromptOf(AgentRequest request, AgentDescriptor stable, AgentDescriptor version) {
        AgentRequest run = request.withAgent(version);
        boolean llm = version.kind() == null || "llm".equals(version.kind());
        if (!llm || version.promptId() == null || version.promptId().equals(stable.promptId())) {
            return Uni.createFrom().item(run);
        }
        return prompts.render(version.promptId(),
                        prompts.agentVariables(version.name(), request.userId(), request.sessionId())).map(rendered -> rendered.map(prompt -> {
                    if (request.trace() != null) {
                        request.trace().renderedPrompt(prompt.promptId(), prompt.version());
                    }
                    return run.withSystemPrompt(prompt.text());
                })
                .orElseGet(() -> {
                    LOG.warnf("No system prompt %s for agent %s version %s; keeping the stable prompt",
                            version.promptId(), version.name(), version.version());
                    return run;
                }));
    }
}
