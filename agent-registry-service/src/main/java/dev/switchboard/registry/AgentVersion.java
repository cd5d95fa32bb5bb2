package dev.switchboard.registry;

import java.time.Instant;

/**
 * A non-stable version of an agent (canary), stored in {@code registry.agent_versions}. The agent object itself is
 * the stable version; it receives {@code 100 - sum(weight)} percent of new sessions.
 *
 * @param version   version string, e.g. {@code 1.1.0}
 * @param weight    percent of new sessions assigned to this version, 0..100
 * @param endpoint  endpoint of this version (remote/a2a agents), {@code null} = the stable one's
 * @param promptId  system prompt of this version (llm agents), {@code null} = the stable one's
 * @param model     model settings of this version, {@code null} = the stable one's
 * @param createdAt when the version was registered
 * @param updatedAt when its weight or content last changed
 */
public record AgentVersion(
        String version,
        int weight,
        String endpoint,
        String promptId,
        ModelSettings model,
        Instant createdAt,
        Instant updatedAt) {}
