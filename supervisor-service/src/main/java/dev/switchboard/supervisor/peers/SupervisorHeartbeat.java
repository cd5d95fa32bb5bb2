package dev.switchboard.supervisor.peers;

/**
 * Body of agent-registry-service {@code POST /supervisors/{id}/heartbeat}.
 *
 * @param activeSessions turns in progress on this replica
 * @param capacity       its cap
 */
public record SupervisorHeartbeat(int activeSessions, int capacity) {}
