package dev.switchboard.supervisor.auth;

import io.quarkus.redis.datasource.RedisDataSource;

/** Test helper: every test client shares 127.0.0.1, whose failed-login count would otherwise carry over between tests. */
final class FailedLogins {

    private FailedLogins() {}

    /** Deletes the failed-login keys in Redis and the locks this replica remembers of them. */
    static void clear(RedisDataSource redis, LoginThrottle throttle) {
        redis.key()
                .keys("sb:supervisor:login-failures:*")
                .forEach(k -> redis.key().del(k));
        throttle.forgetRememberedLocks();
    }
}
