package dev.switchboard.supervisor.peers;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.supervisor.agents.AgentDescriptor;
import java.util.List;
import java.util.Map;

/**
 * The registry's agent object as the supervisor reads it (agent-registry-service {@code GET /agents}).
 *
 * @param name          unique agent name
 * @param description   what it does
 * @param capabilities  capability tags
 * @param version       agent version
 * @param status        active, inactive, draining, unhealthy
 * @param kind          llm or remote
 * @param promptId      system prompt id in prompt-service
 * @param model         model settings
 * @param tools         allowed tool names
 * @param endpoint      remote endpoint
 * @param examples      example utterances
 * @param metadata      free-form metadata
 * @param isDefault     whether it is the default agent
 * @param revision      registry revision, increases on every change
 * @param createdAt     ISO timestamp
 * @param updatedAt     ISO timestamp
 * @param lastHeartbeat ISO timestamp or {@code null}
 * @param versions      canary versions with traffic weights, may be {@code null}
 */
public record RegistryAgent(
        String name,
        String description,
        List<String> capabilities,
        String version,
        String status,
        String kind,
        String promptId,
        Model model,
        List<String> tools,
        String endpoint,
        List<String> examples,
        Map<String, Object> metadata,
        @JsonProperty("is_default") boolean isDefault,
        Long revision,
        String createdAt,
        String updatedAt,
        String lastHeartbeat,
        List<Version> versions) {

    /**
     * A canary version ({@code versions[]}).
     *
     * @param version  version string
     * @param weight   percent of new sessions
     * @param endpoint endpoint or {@code null}
     * @param promptId prompt id or {@code null}
     * @param model    model settings or {@code null}
     */
    public record Version(String version, Integer weight, String endpoint, String promptId, Model model) {}

    /**
     * Model settings of an agent.
     *
     * @param name        model name or {@code null}
     * @param temperature sampling temperature or {@code null}
     * @param maxTokens   output token limit or {@code null}
     */
    public record Model(String name, Double temperature, Integer maxTokens) {}

    /** @return the supervisor's own view of this agent */
    public AgentDescriptor toDescriptor() {
        AgentDescriptor.ModelSettings settings = model == null
                ? null
                : new AgentDescriptor.ModelSettings(model.name(), model.temperature(), model.maxTokens());
        return new AgentDescriptor(
                name,
                description == null ? "" : description,
                capabilities == null ? List.of() : List.copyOf(capabilities),
                version,
                status,
                kind == null ? "llm" : kind,
                promptId,
                settings,
                tools == null ? List.of() : List.copyOf(tools),
                endpoint,
                examples == null ? List.of() : List.copyOf(examples),
                metadata == null ? Map.of() : metadata,
                isDefault,
                versions == null
                        ? List.of()
                        : versions.stream()
                                .map(v -> new AgentDescriptor.Version(
                                        v.version(),
                                        v.weight() == null ? 0 : v.weight(),
                                        v.endpoint(),
                                        v.promptId(),
                                        v.model() == null
                                                ? null
                                                : new AgentDescriptor.ModelSettings(
                                                        v.model().name(),
                                                        v.model().temperature(),
                                                        v.model().maxTokens())))
                                .toList());
    }
}
