package dev.switchboard.supervisor.agents;

import java.util.List;
import java.util.Map;

/**
 * The supervisor's own view of an agent registered in agent-registry-service (fed by the registry client
 * and its events).
 *
 * @param name         unique agent name, e.g. {@code calendar_checker_agent}
 * @param description  what the agent does (router input)
 * @param capabilities capability tags
 * @param version      agent version string
 * @param status       active, inactive, draining or unhealthy; only active agents are routed to
 * @param kind         {@code llm} or {@code remote}
 * @param promptId     prompt-service id of the system prompt (llm agents)
 * @param model        model settings, may be {@code null}
 * @param tools        names of the tools the agent may call
 * @param endpoint     HTTP endpoint (remote agents)
 * @param examples     example utterances (router input)
 * @param metadata     free-form metadata
 * @param isDefault    whether this is the default agent
 * @param versions     canary versions besides this (stable) one with their traffic weights, empty if none
 */
public record AgentDescriptor(
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
        boolean isDefault,
        List<Version> versions) {

    /** An agent without canary versions (the shape before versions existed). */
    public AgentDescriptor(
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
            boolean isDefault) {
        this(
                name,
                description,
                capabilities,
                version,
                status,
                kind,
                promptId,
                model,
                tools,
                endpoint,
                examples,
                metadata,
                isDefault,
                List.of());
    }

    /** @return the canary versions, never {@code null} */
    public List<Version> versionsOrEmpty() {
        return versions == null ? List.of() : versions;
    }

    /** @return the stable version's share of new sessions in percent: 100 minus the canaries' weights, at least 0 */
    public int stableWeight() {
        return Math.max(
                0, 100 - versionsOrEmpty().stream().mapToInt(Version::weight).sum());
    }

    /**
     * @param canary one of {@link #versions()}
     * @return this agent as that version runs it: its version string, and its endpoint, prompt and model where set
     */
    public AgentDescriptor asVersion(Version canary) {
        return new AgentDescriptor(
                name,
                description,
                capabilities,
                canary.version(),
                status,
                kind,
                canary.promptId() != null ? canary.promptId() : promptId,
                canary.model() != null ? canary.model() : model,
                tools,
                canary.endpoint() != null ? canary.endpoint() : endpoint,
                examples,
                metadata,
                isDefault,
                List.of());
    }

    /**
     * A canary version of an agent (registry {@code versions[]}).
     *
     * @param version  version string
     * @param weight   percent of new sessions, 0..100
     * @param endpoint its endpoint or {@code null} (= the stable one's)
     * @param promptId its system prompt or {@code null}
     * @param model    its model settings or {@code null}
     */
    public record Version(String version, int weight, String endpoint, String promptId, ModelSettings model) {}

    /** @return whether the agent may be routed to */
    public boolean isActive() {
        return "active".equals(status);
    }

    /**
     * Per-agent model settings; {@code null} components fall back to the configured model.
     *
     * @param name        model name, e.g. {@code gpt-4o-mini}
     * @param temperature sampling temperature
     * @param maxTokens   most output tokens
     */
    public record ModelSettings(String name, Double temperature, Integer maxTokens) {}
}
