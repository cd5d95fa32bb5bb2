package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.prompts.PromptService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Renders the system prompt of the agent version that runs the turn, once: a canary {@code llm} version with its own
 * {@code prompt_id} gets that prompt, every other version the agent's. A prompt prompt-service does not have (and no
 * replica cached) falls back to the agent's own prompt for a canary, and to a built-in line otherwise; a
 * {@code remote} agent without a prompt gets none. Never fails a turn.
 */
@ApplicationScoped
class RenderPromptStep implements TurnStep {

    /** System prompt used when an agent's prompt cannot be found anywhere. */
    static final String FALLBACK_PROMPT =
            "You are %s, an assistant of %s. Answer the user's message helpfully and concisely.";

    private static final Logger LOG = Logger.getLogger(RenderPromptStep.class);

    private final PromptService prompts;
    private final String businessName;

    RenderPromptStep(PromptService prompts, SupervisorConfig config) {
        this.prompts = prompts;
        this.businessName = config.calendar().businessName();
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        AgentDescriptor stable = turn.decision().agent();
        AgentDescriptor version = turn.agent();
        boolean llm = version.kind() == null || "llm".equals(version.kind());
        boolean ownPrompt =
                llm && version.promptId() != null && !version.promptId().equals(stable.promptId());
        if (!ownPrompt) {
            return agentPrompt(turn, stable);
        }
        return prompts.render(
                        version.promptId(), prompts.agentVariables(version.name(), turn.userId(), turn.sessionId()))
                .chain(rendered -> {
                    if (rendered.isPresent()) {
                        return Uni.createFrom()
                                .item(turn.withPrompt(
                                        rendered.get(), rendered.get().text()));
                    }
                    LOG.warnf(
                            "No system prompt %s for agent %s version %s; using the agent's own prompt",
                            version.promptId(), version.name(), version.version());
                    return agentPrompt(turn, stable);
                });
    }

    private Uni<Turn> agentPrompt(Turn turn, AgentDescriptor agent) {
        String fallback = FALLBACK_PROMPT.formatted(agent.name(), businessName);
        if (agent.promptId() == null || agent.promptId().isBlank()) {
            if ("remote".equals(agent.kind())) {
                return Uni.createFrom().item(turn.withPrompt(null, null));
            }
            LOG.warnf("Agent %s has no prompt_id; using the built-in fallback system prompt", agent.name());
            return Uni.createFrom().item(turn.withPrompt(null, fallback));
        }
        return prompts.render(agent.promptId(), prompts.agentVariables(agent.name(), turn.userId(), turn.sessionId()))
                .map(rendered -> rendered.map(prompt -> turn.withPrompt(prompt, prompt.text()))
                        .orElseGet(() -> {
                            LOG.warnf(
                                    "No system prompt %s for agent %s; using the built-in fallback",
                                    agent.promptId(), agent.name());
                            return turn.withPrompt(null, fallback);
                        }));
    }
}
