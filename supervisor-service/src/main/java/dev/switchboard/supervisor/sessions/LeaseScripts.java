package dev.switchboard.supervisor.sessions;

/** The Lua scripts of the session lease (each runs atomically in Redis; the clock is Redis {@code TIME}). */
final class LeaseScripts {

    private LeaseScripts() {}

    /**
     * Acquire. KEYS: lease, fence, waiters (ZSET), waiters-seen (HASH). ARGV: request id, holder prefix
     * ({@code supervisor|request}), ttl ms, mode ({@code enqueue|reject|new}), max wait ms, stale-waiter ms,
     * fence ttl ms. Returns {@code {1, token, previous token}} when acquired (previous 0 when the fence key was
     * gone), else {@code {0, rank}} (rank in the queue, -1 when not queued). Waiters that arrived more than max wait ago, and a head waiter whose replica stopped polling
     * for stale-waiter ms (crash), are pruned so nothing blocks a session for long.
     */
    static final RedisScript ACQUIRE = new RedisScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local me, mode = ARGV[1], ARGV[4]
            local maxWait, stale = tonumber(ARGV[5]), tonumber(ARGV[6])
            local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - maxWait, 'LIMIT', 0, 100)
            for _, m in ipairs(old) do
              redis.call('ZREM', KEYS[3], m)
              redis.call('HDEL', KEYS[4], m)
            end
            for _ = 1, 100 do
              local head = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
              if not head or head == me then break end
              local seen = tonumber(redis.call('HGET', KEYS[4], head) or '0')
              if seen >= now - stale then break end
              redis.call('ZREM', KEYS[3], head)
              redis.call('HDEL', KEYS[4], head)
            end
            local held = redis.call('EXISTS', KEYS[1]) == 1
            local queued = redis.call('ZCARD', KEYS[3])
            if mode == 'enqueue' then
              local rank = redis.call('ZRANK', KEYS[3], me)
              if held or (queued > 0 and rank ~= 0) then
                if not rank then
                  redis.call('ZADD', KEYS[3], 'NX', now, me)
                  rank = redis.call('ZRANK', KEYS[3], me)
                end
                redis.call('HSET', KEYS[4], me, now)
                redis.call('PEXPIRE', KEYS[3], maxWait * 2)
                redis.call('PEXPIRE', KEYS[4], maxWait * 2)
                return {0, rank}
              end
              if rank then
                redis.call('ZREM', KEYS[3], me)
                redis.call('HDEL', KEYS[4], me)
              end
            elseif held or queued > 0 then
              return {0, -1}
            end
            local last = tonumber(redis.call('GET', KEYS[2]) or '0')
            local token = string.format('%.0f', math.max(last + 1, now))
            redis.call('SET', KEYS[2], token, 'PX', ARGV[7])
            redis.call('SET', KEYS[1], ARGV[2] .. '|' .. token, 'PX', ARGV[3])
            return {1, token, string.format('%.0f', last)}
            """);

    /** Renew. KEYS: lease. ARGV: value, ttl ms. Extends the lease only while it is still ours; 1 or 0. */
    static final RedisScript RENEW = new RedisScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """);

    /**
     * Release. KEYS: lease, waiters. ARGV: value, channel, session id. Deletes the lease only while it is ours and
     * tells waiting replicas (when there are waiters) so they retry at once; 1 or 0.
     */
    static final RedisScript RELEASE = new RedisScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              if redis.call('EXISTS', KEYS[2]) == 1 then
                redis.call('PUBLISH', ARGV[2], ARGV[3])
              end
              return 1
            end
            return 0
            """);

    /**
     * Leave the queue (timeout, cancellation, shutdown). KEYS: waiters, waiters-seen. ARGV: request id, channel,
     * session id. Wakes the others when someone is still waiting (the leaver may have been the head); 1 or 0.
     */
    static final RedisScript LEAVE = new RedisScript("""
            local removed = redis.call('ZREM', KEYS[1], ARGV[1])
            redis.call('HDEL', KEYS[2], ARGV[1])
            if removed == 1 and redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('PUBLISH', ARGV[2], ARGV[3])
            end
            return removed
            """);
}
