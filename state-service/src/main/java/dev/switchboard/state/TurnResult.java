package dev.switchboard.state;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Result of appending a turn.
 *
 * @param session      the session after the turn
 * @param checkpointId the checkpoint written by the turn
 * @param created      {@code true} when this call appended it (201), {@code false} for a repeated turn id (200)
 */
public record TurnResult(Session session, String checkpointId, @JsonIgnore boolean created) {
}
