package dev.switchboard.state;

import java.time.Instant;

/**
 * A session as listed for its user.
 *
 * @param sessionId    the session id
 * @param version      its current version
 * @param updatedAt    time of its last write
 * @param messageCount number of messages in its history
 */
public record SessionSummary(String sessionId, long version, Instant updatedAt, int messageCount) {

    /** @return the summary of {@code session} */
    public static SessionSummary of(Session session) {
        return new SessionSummary(session.sessionId(), session.version(), session.updatedAt(), session.messageCount());
    }
}
