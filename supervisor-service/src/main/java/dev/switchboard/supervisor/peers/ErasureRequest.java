package dev.switchboard.supervisor.peers;

import java.util.List;

/**
 * Body of state-service {@code POST /erasures}.
 *
 * @param userId     erase every session of this user, or {@code null}
 * @param sessionIds erase these sessions, or {@code null}
 */
public record ErasureRequest(String userId, List<String> sessionIds) {}
