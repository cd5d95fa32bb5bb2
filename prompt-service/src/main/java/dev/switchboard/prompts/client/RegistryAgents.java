package dev.switchboard.prompts.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The part of agent-registry-service's {@code GET /agents} answer prompt-service reads.
 *
 * @param agents the agents
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistryAgents(List<Agent> agents) {

    /**
     * One registered agent.
     *
     * @param name     agent name
     * @param promptId prompt-service id of its system prompt, may be {@code null}
     * @param status   active, inactive, maintenance, unhealthy...
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Agent(String name, String promptId, String status) {}
}
