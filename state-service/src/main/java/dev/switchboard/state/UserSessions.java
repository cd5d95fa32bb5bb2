package dev.switchboard.state;

import java.util.List;

/**
 * The sessions of one user, most recently updated first.
 *
 * @param userId   the user
 * @param sessions their sessions
 */
public record UserSessions(String userId, List<SessionSummary> sessions) {}
