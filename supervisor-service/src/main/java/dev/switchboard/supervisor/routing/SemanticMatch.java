package dev.switchboard.supervisor.routing;

import java.util.List;

/**
 * The semantic router's decision for one message.
 *
 * @param agent      the best agent, or the default agent when the similarity gate fails (the message is
 *                   not close to any example of the best specialist); {@code null} only for an index
 *                   without agents
 * @param score      the head's probability for {@code agent}, in [0,1]
 * @param confident  {@code true} when the decision may stand without the LLM router: the head's
 *                   probability reached {@link RouterSettings#minConfidence()} and the similarity gate
 *                   passed
 * @param candidates every agent with its probability, best first (empty for an index without agents)
 */
public record SemanticMatch(String agent, double score, boolean confident, List<RoutingCandidate> candidates) {

    /** Copies the candidate list. */
    public SemanticMatch {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }
}
