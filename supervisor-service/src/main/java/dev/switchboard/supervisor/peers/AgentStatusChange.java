package dev.switchboard.supervisor.peers;

/**
 * Body of {@code POST /agents/{name}/status}.
 *
 * @param status active, inactive, draining or unhealthy
 */
public record AgentStatusChange(String status) {}
