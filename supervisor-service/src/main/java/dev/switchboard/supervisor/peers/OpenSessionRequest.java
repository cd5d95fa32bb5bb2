package dev.switchboard.supervisor.peers;

/**
 * Body of state-service {@code POST /sessions} (load or create).
 *
 * @param sessionId the id to load or create
 * @param userId    the owner, may be {@code null}
 */
public record OpenSessionRequest(String sessionId, String userId) {}
