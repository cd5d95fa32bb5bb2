package dev.switchboard.supervisor.routing;

import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.agents.LlmAvailability;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.peers.AgentRegistryClient;
import dev.switchboard.supervisor.peers.RegistryAgent;
import dev.switchboard.supervisor.prompts.PromptService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Chooses the agent for a message: an explicit {@code agent} wins (404 {@code agent-not-found}, 409
 * {@code agent-unavailable} when not active); else the semantic router; when it is not confident, the LLM
 * router (if {@code supervisor.routing.llm-fallback} and an LLM is configured); else the default agent.
 */
@ApplicationScoped
public class RoutingService {

    private static final Logger LOG = Logger.getLogger(RoutingService.class);

    private final AgentCache cache;
    private final AgentRegistryClient registry;
    private final PromptService prompts;
    private final LlmRouter llmRouter;
    private final LlmAvailability llm;
    private final SupervisorConfig config;
    /** Histogram buckets of {@code switchboard_routing_score} (upper bounds, 0..1). */
    private static final double[] SCORE_BUCKETS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0};

    private final MeterRegistry meters;

    RoutingService(
            AgentCache cache,
            AgentRegistryClient registry,
            PromptService prompts,
            LlmRouter llmRouter,
            LlmAvailability llm,
            SupervisorConfig config,
            MeterRegistry meters) {
        this.cache = cache;
        this.registry = registry;
        this.prompts = prompts;
        this.llmRouter = llmRouter;
        this.llm = llm;
        this.config = config;
        this.meters = meters;
    }

    /**
     * The live routing decision of a chat turn (recorded in metrics
     * {@code switchboard_routing_decisions_total{method,agent}} and {@code switchboard_routing_score}).
     *
     * @param message       the user's message
     * @param explicitAgent the agent the user named, or {@code null}
     * @return the decision; fails with 404 {@code agent-not-found}, 409 {@code agent-unavailable}, 503
     *         {@code no-agent-available} (registry not synced, no active agent)
     */
    public Uni<RoutingDecision> route(String message, String explicitAgent) {
        Uni<RoutingDecision> decision =
                explicitAgent != null ? routeExplicit(explicitAgent) : routeByContent(message, true);
        return decision.invoke(this::record);
    }

    /**
     * Dry run for {@code POST /route}: the semantic router only, never the LLM (an uncertain message is
     * reported as {@code default}); changes nothing and records no metric.
     */
    public Uni<RoutingDecision> previewRoute(String message) {
        return routeByContent(message, false);
    }

    private Uni<RoutingDecision> routeExplicit(String name) {
        Uni<AgentDescriptor> agent = cache.findAgent(name)
                .map(a -> Uni.createFrom().item(a))
                // not cached (registered a moment ago?): ask the registry; 404 passes through as agent-not-found
                .orElseGet(() -> registry.findAgent(name).map(RegistryAgent::toDescriptor));
        return agent.map(a -> {
            if (!a.isActive()) {
                throw new AgentUnavailableException(a.name(), a.status());
            }
            return new RoutingDecision(a, RoutingDecision.EXPLICIT, 1.0, List.of());
        });
    }

    private Uni<RoutingDecision> routeByContent(String message, boolean allowLlm) {
        Optional<RouterIndex> index = cache.routerIndex();
        if (index.isEmpty()) {
            return Uni.createFrom()
                    .failure(
                            new NoAgentAvailableException("The agent registry has not been synced yet; retry shortly"));
        }
        return Uni.createFrom()
                .item(() -> index.get().match(message))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(match -> {
                    Optional<AgentDescriptor> best = active(match.agent());
                    if (match.confident() && best.isPresent()) {
                        return Uni.createFrom()
                                .item(new RoutingDecision(
                                        best.get(), RoutingDecision.SEMANTIC, match.score(), match.candidates()));
                    }
                    Uni<Optional<RoutingDecision>> viaLlm =
                            allowLlm && config.routing().llmFallback() && llm.isConfigured()
                                    ? routeByLlm(message, match)
                                    : Uni.createFrom().item(Optional.empty());
                    return viaLlm.map(choice -> choice.orElseGet(() -> routeToDefault(match)));
                });
    }

    private Uni<Optional<RoutingDecision>> routeByLlm(String message, SemanticMatch match) {
        Map<String, AgentDescriptor> activeAgents = cache.agents().values().stream()
                .filter(AgentDescriptor::isActive)
                .collect(Collectors.toMap(AgentDescriptor::name, a -> a, (a, b) -> a, java.util.LinkedHashMap::new));
        String agentLines = activeAgents.values().stream()
                .map(a -> a.name() + ": " + a.description())
                .collect(Collectors.joining("\n"));
        Set<String> names = new LinkedHashSet<>(activeAgents.keySet());
        return prompts.renderPrompt(PromptService.ROUTER_PROMPT_ID, Map.of("message", message, "agents", agentLines))
                .chain(rendered -> rendered.isEmpty()
                        ? Uni.createFrom().item(Optional.<String>empty())
                        : llmRouter.chooseAgent(rendered.get(), names))
                .map(choice -> choice.map(activeAgents::get)
                        .map(agent -> new RoutingDecision(
                                agent, RoutingDecision.LLM, scoreOf(match, agent.name()), match.candidates())))
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf("LLM routing failed, using the default agent: %s", failure.getMessage());
                    return Optional.empty();
                });
    }

    private RoutingDecision routeToDefault(SemanticMatch match) {
        Optional<AgentDescriptor> fallback = cache.defaultAgent();
        if (fallback.isPresent()) {
            AgentDescriptor agent = fallback.get();
            return new RoutingDecision(
                    agent, RoutingDecision.DEFAULT, scoreOf(match, agent.name()), match.candidates());
        }
        // no default agent configured or registered: the semantic best guess, however unsure
        return active(match.agent())
                .map(agent -> new RoutingDecision(agent, RoutingDecision.SEMANTIC, match.score(), match.candidates()))
                .orElseThrow(() -> new NoAgentAvailableException("No active agent can take this message"));
    }

    private Optional<AgentDescriptor> active(String name) {
        return name == null ? Optional.empty() : cache.findAgent(name).filter(AgentDescriptor::isActive);
    }

    private static double scoreOf(SemanticMatch match, String agent) {
        if (agent.equals(match.agent())) {
            return match.score();
        }
        return match.candidates().stream()
                .filter(c -> c.agent().equals(agent))
                .mapToDouble(RoutingCandidate::score)
                .findFirst()
                .orElse(0.0);
    }

    private void record(RoutingDecision decision) {
        Counter.builder("switchboard.routing.decisions")
                .description("Routing decisions by method and agent")
                .tag("method", decision.method())
                .tag("agent", decision.agent().name())
                .register(meters)
                .increment();
        DistributionSummary.builder("switchboard.routing.score")
                .description("Router score of the chosen agent (0..1)")
                .tag("method", decision.method())
                .serviceLevelObjectives(SCORE_BUCKETS)
                .register(meters)
                .record(decision.score());
    }
}
