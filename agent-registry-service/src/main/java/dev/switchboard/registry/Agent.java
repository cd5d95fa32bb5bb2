package dev.switchboard.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered agent as stored in {@code registry.agents} and served by the API (contract "Agent object").
 *
 * @param name          unique name, {@code [A-Za-z0-9._:-]{1,128}}
 * @param description   what the agent does (router input), 1..2000 chars
 * @param capabilities  capability tags, e.g. {@code calendar}
 * @param version       agent version string
 * @param status        {@code active|inactive|draining|unhealthy}
 * @param kind          {@code llm|remote}
 * @param promptId      prompt-service id of the system prompt (llm agents)
 * @param model         model settings, may be {@code null}
 * @param tools         tool names the agent may call
 * @param endpoint      HTTP endpoint (remote agents), else {@code null}
 * @param examples      example utterances (router input)
 * @param metadata      free-form metadata
 * @param isDefault     whether this is the default agent
 * @param revision      incremented on every real change of definition or status (1 on creation)
 * @param createdAt     creation time
 * @param updatedAt     time of the last real change
 * @param lastHeartbeat time of the last heartbeat, {@code null} if none
 * @param versions      canary versions besides this (stable) one, with their traffic weights; empty if none
 */
public record Agent(
        String name,
        String description,
        List<String> capabilities,
        String version,
        String status,
        String kind,
        String promptId,
        ModelSettings model,
        List<String> tools,
        String endpoint,
        List<String> examples,
        Map<String, Object> metadata,
        @JsonProperty("is_default") boolean isDefault,
        long revision,
        Instant createdAt,
        Instant updatedAt,
        Instant lastHeartbeat,
        List<AgentVersion> versions) {

    /** @return the stable version's share of new sessions: 100 minus the canaries' weights, at least 0 */
    @JsonProperty("stable_weight")
    public int stableWeight() {
        return Math.max(
                0,
                100
                        - (versions == null
                                ? 0
                                : versions.stream()
                                        .mapToInt(AgentVersion::weight)
                                        .sum()));
    }
}
