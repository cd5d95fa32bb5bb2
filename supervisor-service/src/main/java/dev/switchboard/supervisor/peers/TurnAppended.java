package dev.switchboard.supervisor.peers;

/**
 * state-service's answer to {@code POST /sessions/{id}/turns}.
 *
 * @param session      the session after the append
 * @param checkpointId the checkpoint written for the turn
 */
public record TurnAppended(Session session, String checkpointId) {}
