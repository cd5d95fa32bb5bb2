package dev.switchboard.supervisor.peers;

import java.util.List;

/**
 * state-service {@code GET /sessions/user/{user_id}} body (proxied unchanged).
 *
 * @param userId   the user
 * @param sessions the user's sessions
 */
public record UserSessions(String userId, List<Summary> sessions) {

    /**
     * One session of the user.
     *
     * @param sessionId    session id
     * @param version      version
     * @param updatedAt    ISO timestamp
     * @param messageCount number of messages
     */
    public record Summary(String sessionId, Long version, String updatedAt, Integer messageCount) {}
}
