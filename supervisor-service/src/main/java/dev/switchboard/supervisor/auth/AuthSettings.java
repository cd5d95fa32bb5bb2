package dev.switchboard.supervisor.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Login and token settings ({@code supervisor.auth.*}; the environment names users migrate with are mapped in application.properties). */
@ConfigMapping(prefix = "supervisor.auth")
public interface AuthSettings {

    /** Lifetime of an access token in minutes ({@code JWT_ACCESS_TOKEN_EXPIRE_MINUTES}, default 30). */
    @WithDefault("30")
    int accessTokenMinutes();

    /** Lifetime of a refresh token in days ({@code JWT_REFRESH_TOKEN_EXPIRE_DAYS}, default 7). */
    @WithDefault("7")
    int refreshTokenDays();

    /**
     * Failed logins of one user name from one client address before that pair is locked ({@code LOGIN_MAX_FAILURES},
     * default 5).
     */
    @WithDefault("5")
    int loginMaxFailures();

    /** Failed logins per client address, over all user names, before 429 ({@code LOGIN_MAX_FAILURES_PER_ADDRESS}). */
    @WithDefault("20")
    int loginMaxFailuresPerAddress();

    /** Window over which failed logins count ({@code LOGIN_FAILURE_WINDOW}). */
    @WithDefault("15m")
    Duration loginFailureWindow();

    /**
     * Lock of a user name and address after {@link #loginMaxFailures()} failures ({@code LOGIN_LOCK_DELAY}); it
     * doubles with each further failure.
     */
    @WithDefault("30s")
    Duration loginLockDelay();

    /** Longest lock of a user name and address ({@code LOGIN_MAX_LOCK_DELAY}). */
    @WithDefault("15m")
    Duration loginMaxLockDelay();

    /**
     * Password checks (BCrypt) that run at once ({@code LOGIN_HASH_THREADS}), on threads of their own, never on the
     * threads that serve chat turns.
     */
    @WithDefault("2")
    int loginHashThreads();

    /** Password checks that wait for a thread ({@code LOGIN_HASH_QUEUE}); beyond them a login is answered 503. */
    @WithDefault("32")
    int loginHashQueue();

    /**
     * Password checks that one client address may have running or waiting at once ({@code LOGIN_HASH_PER_ADDRESS},
     * default 1); a further parallel login from that address is answered 429 at once. This keeps a flood from one
     * address to one password-checking thread, so a login from any other address is checked without waiting.
     */
    @WithDefault("1")
    int loginHashPerAddress();

    /** Name of the administrator created at start when {@link #adminPassword()} is set. */
    @WithDefault("admin")
    String adminUsername();

    /**
     * {@code SWITCHBOARD_ADMIN_PASSWORD}: when set, the administrator {@link #adminUsername()} exists with this
     * password (created or updated at start).
     */
    Optional<String> adminPassword();
}
