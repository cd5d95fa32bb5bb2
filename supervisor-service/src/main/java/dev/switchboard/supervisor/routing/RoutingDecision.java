package dev.switchboard.supervisor.routing;

import dev.switchboard.supervisor.agents.AgentDescriptor;
import java.util.List;

/**
 * Which agent takes a message and why.
 *
 * @param agent      the chosen agent
 * @param method     {@code explicit}, {@code semantic}, {@code llm} or {@code default}
 * @param score      the semantic router's probability for the chosen agent (0..1; 1.0 for explicit)
 * @param candidates every active agent with its score, best first (empty for explicit)
 */
public record RoutingDecision(AgentDescriptor agent, String method, double score, List<RoutingCandidate> candidates) {

    /** The user named the agent. */
    public static final String EXPLICIT = "explicit";
    /** The semantic router was confident. */
    public static final String SEMANTIC = "semantic";
    /** The LLM router chose. */
    public static final String LLM = "llm";
    /** Nothing else decided: the default agent. */
    public static final String DEFAULT = "default";
}
