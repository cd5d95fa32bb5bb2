package dev.switchboard.supervisor.peers;

import java.util.List;

/**
 * state-service's answer to {@code POST /erasures}.
 *
 * @param sessions    sessions deleted
 * @param checkpoints checkpoint rows deleted (messages, turn records, state)
 * @param redisKeys   state-service Redis keys deleted
 * @param sessionIds  the sessions deleted
 */
public record StateErasure(int sessions, long checkpoints, int redisKeys, List<String> sessionIds) {}
