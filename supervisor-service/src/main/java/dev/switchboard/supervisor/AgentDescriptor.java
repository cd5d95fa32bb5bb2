package dev.switchboard.supervisor;

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
 */
public record AgentDescriptor(String name, String description, List<String> capabilities, String version,
        String status, String kind, String promptId, ModelSettings model, List<String> tools, String endpoint,
        List<String> examples, Map<String, Object> metadata, boolean isDefault) {

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
    public record ModelSettings(String name, Double temperature, Integer maxTokens) {
    }
}
