package dev.switchboard.state;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Result of appending a turn.
 *
 * @param session      the session after the turn
 * @param checkpointId the checkpoint written by the turn
 * @param created      {@code true} when this call appended it (201), {@code false} for a repeated turn id (200)
 * @param sessionJson  {@code session} exactly as the write serialised it for its checkpoint and Redis copy, so the
 *                     response reuses it instead of serialising the whole session again; {@code null} when the
 *                     response must serialise it (a replayed turn, a session rebuilt from PostgreSQL)
 */
public record TurnResult(
        Session session,
        String checkpointId,
        @JsonIgnore boolean created,
        @JsonIgnore String sessionJson) {

    /** A result whose session the response serialises. */
    public TurnResult(Session session, String checkpointId, boolean created) {
        this(session, checkpointId, created, null);
    }
}
