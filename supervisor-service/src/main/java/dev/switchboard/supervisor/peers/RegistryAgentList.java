package dev.switchboard.supervisor.peers;

import java.util.List;

/**
 * agent-registry-service {@code GET /agents} body.
 *
 * @param agents the agents, sorted by name
 * @param count  how many
 */
public record RegistryAgentList(List<RegistryAgent> agents, Integer count) {}
