package dev.switchboard.state;

import java.util.List;

/**
 * What {@code POST /erasures} removed. Counts only; the ids are the caller's own (it named the user or the sessions).
 *
 * @param sessions    sessions that had checkpoints or a Redis copy
 * @param checkpoints checkpoint rows deleted (snapshots and deltas; they hold the messages and turn records)
 * @param redisKeys   Redis keys deleted (session copies, the user's session index)
 * @param sessionIds  the sessions erased, so the caller can erase what it keeps per session
 */
public record Erasure(int sessions, long checkpoints, int redisKeys, List<String> sessionIds) {}
