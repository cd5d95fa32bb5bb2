package dev.switchboard.supervisor.api;

import java.util.List;

/**
 * {@code POST /route} answer: {@code {"agent","method","score","candidates":[{"agent","score"}]}}.
 *
 * @param agent      the agent the message would go to
 * @param method     semantic or default (the dry run never calls the LLM router)
 * @param score      the router's probability for that agent
 * @param candidates every active agent with its probability, best first
 */
public record RouteResponse(String agent, String method, double score, List<Candidate> candidates) {

    /**
     * One ranked agent.
     *
     * @param agent agent name
     * @param score probability 0..1
     */
    public record Candidate(String agent, double score) {}
}
