package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemType;

/**
 * The problem types of agent-registry-service's own (the shared ones are
 * {@link dev.switchboard.common.problem.CommonProblem}).
 */
public enum RegistryProblem implements ProblemType {

    /** No agent is registered under the name. */
    AGENT_NOT_FOUND("agent-not-found", 404, "Agent not found"),
    /** No supervisor instance is registered under the id; it should register again. */
    SUPERVISOR_NOT_FOUND("supervisor-not-found", 404, "Supervisor not found"),
    /** The agent has no canary version of that name. */
    AGENT_VERSION_NOT_FOUND("agent-version-not-found", 404, "Agent version not found"),
    /** The canaries would get more than 100 % of the traffic, or the stable version was named as a canary. */
    ROLLOUT_CONFLICT("rollout-conflict", 409, "Rollout conflict"),
    /** An A2A card registration names an existing agent of another kind. */
    AGENT_KIND_CONFLICT("agent-kind-conflict", 409, "Agent kind conflict"),
    /** The fetched document is not a usable A2A Agent Card. */
    INVALID_AGENT_CARD("invalid-agent-card", 422, "Invalid agent card"),
    /** The A2A Agent Card could not be fetched (after retries). */
    AGENT_CARD_UNREACHABLE("agent-card-unreachable", 502, "Agent card unreachable");

    private final String slug;
    private final int status;
    private final String title;

    RegistryProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
