package dev.switchboard.registry.rest;

import dev.switchboard.registry.Agent;
import java.util.List;

/**
 * Body of {@code GET /agents}: {@code {"agents":[...],"count":N}}.
 *
 * @param agents the agents, sorted by name
 * @param count  their number
 */
public record AgentList(List<Agent> agents, int count) {}
