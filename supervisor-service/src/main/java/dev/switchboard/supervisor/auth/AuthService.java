package dev.switchboard.supervisor.auth;

import dev.switchboard.common.auth.Roles;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.jboss.logging.Logger;

/**
 * Password login and token refresh ({@code POST /api/v1/auth/login}; by default access 30 min, refresh 7 days).
 * Passwords are BCrypt hashes (cost 12), checked on their own bounded pool ({@link PasswordHasher}); an unknown user
 * costs the same BCrypt check as a wrong password. Failed logins are limited by {@link LoginThrottle} and counted in
 * {@code switchboard_auth_logins_total{outcome}}. Passwords and tokens are never logged.
 */
@ApplicationScoped
public class AuthService {

    private static final Logger LOG = Logger.getLogger(AuthService.class);

    private final UserRepository users;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final RefreshTokenStore refreshTokens;
    private final PasswordHasher hasher;
    private final AuthSettings settings;
    private final MeterRegistry meters;
    /**
     * Client address → its password checks running or waiting; an entry lives only while one does, so the map is
     * bounded by the logins in progress.
     */
    private final ConcurrentHashMap<String, Integer> checksInFlight = new ConcurrentHashMap<>();

    AuthService(
            UserRepository users,
            TokenService tokens,
            LoginThrottle throttle,
            RefreshTokenStore refreshTokens,
            PasswordHasher hasher,
            AuthSettings settings,
            MeterRegistry meters) {
        this.users = users;
        this.tokens = tokens;
        this.throttle = throttle;
        this.refreshTokens = refreshTokens;
        this.hasher = hasher;
        this.settings = settings;
        this.meters = meters;
    }

    /** Creates or updates the administrator from {@code SWITCHBOARD_ADMIN_PASSWORD} when it is set. */
    void onStart(@Observes StartupEvent event) {
        Optional<String> password = settings.adminPassword().filter(p -> !p.isBlank());
        if (password.isEmpty()) {
            return;
        }
        hash(password.get())
                .chain(hash -> users.upsert(settings.adminUsername(), hash, List.of(Roles.ADMIN, Roles.USER)))
                .subscribe()
                .with(
                        v -> LOG.infof(
                                "Administrator '%s' can log in (SWITCHBOARD_ADMIN_PASSWORD)", settings.adminUsername()),
                        e -> LOG.warnf(
                                "Could not store administrator '%s': %s", settings.adminUsername(), e.getMessage()));
    }

    /**
     * Checks the failed-login limits and counts the attempt (one atomic step, {@link LoginThrottle}), then the
     * password on the hashing pool ({@link PasswordHasher}), at most {@code LOGIN_HASH_PER_ADDRESS} at a time per
     * client address.
     *
     * @param address the client's address (the direct peer, or the {@code X-Forwarded-For} a trusted proxy sent)
     * @return a token pair
     * @throws dev.switchboard.common.problem.ProblemException 401 invalid-credentials, 429 too-many-failed-logins
     *         (also while this address has its password checks in progress), 503 overloaded when the password checks are saturated (both with Retry-After)
     */
    public Uni<TokenService.TokenPair> login(String username, String password, String address) {
        return throttle.beginAttempt(username, address).chain(lockedMs -> {
            if (lockedMs > 0) {
                count("throttled");
                return Uni.createFrom().failure(AuthExceptions.throttled(Math.max(1, (lockedMs + 999) / 1000)));
            }
            if (!startCheck(address)) {
                count("throttled");
                return Uni.createFrom().failure(AuthExceptions.parallelLogins());
            }
            return users.find(username)
                    .chain(user -> hasher.matches(password, user.map(UserRepository.StoredUser::passwordHash))
                            .onFailure(BulkheadException.class)
                            .transform(e -> {
                                count("overloaded");
                                return AuthExceptions.overloaded();
                            })
                            .chain(matches -> {
                                if (user.isPresent() && matches) {
                                    count("success");
                                    return throttle.recordSuccess(username, address)
                                            .map(v -> tokens.issue(
                                                    username, user.get().roles()));
                                }
                                count("failure");
                                LOG.infof("Failed login for user name '%s' from %s", username, address);
                                return Uni.createFrom()
                                        .failure(AuthExceptions.invalidCredentials(
                                                "Unknown user name or wrong password"));
                            }))
                    .onTermination()
                    .invoke(() -> endCheck(address));
        });
    }

    /** Takes one of the address's {@code LOGIN_HASH_PER_ADDRESS} password-check places, if one is free. */
    private boolean startCheck(String address) {
        boolean[] started = {false};
        checksInFlight.compute(address, (a, running) -> {
            int now = running == null ? 0 : running;
            if (now >= settings.loginHashPerAddress()) {
                return running;
            }
            started[0] = true;
            return now + 1;
        });
        return started[0];
    }

    private void endCheck(String address) {
        checksInFlight.computeIfPresent(address, (a, running) -> running <= 1 ? null : running - 1);
    }

    /**
     * Rotation: the refresh token is used up and the client keeps the new one. A refresh token used a second time
     * revokes its whole family (every refresh token descended from the same login), so a stolen one is worth at
     * most one use, and the thief's use locks out the legitimate holder's next refresh (who logs in again).
     *
     * @return a new token pair for the refresh token's user
     * @throws dev.switchboard.common.problem.ProblemException 401 invalid-credentials for a bad, expired, used or
     *         revoked refresh token, or a user that no longer exists
     */
    public Uni<TokenService.TokenPair> refresh(String refreshToken) {
        TokenService.RefreshClaims claims;
        try {
            claims = tokens.verifyRefresh(refreshToken);
        } catch (ParseException e) {
            count("refresh-rejected");
            return Uni.createFrom()
                    .failure(AuthExceptions.invalidCredentials(
                            "The refresh token is malformed, expired or not a refresh token"));
        }
        Duration remaining = Duration.between(Instant.now(), claims.expiresAt());
        return refreshTokens
                .use(claims.jti(), claims.family(), remaining.plusSeconds(60), tokens.refreshLifetime())
                .chain(outcome -> {
                    if (outcome != RefreshTokenStore.Outcome.ROTATED) {
                        count(outcome == RefreshTokenStore.Outcome.REUSED ? "refresh-reused" : "refresh-revoked");
                        if (outcome == RefreshTokenStore.Outcome.REUSED) {
                            LOG.warnf(
                                    "A refresh token of user '%s' was used twice: its login's refresh tokens are revoked",
                                    claims.subject());
                        }
                        return Uni.createFrom()
                                .failure(AuthExceptions.invalidCredentials(
                                        "The refresh token was already used or revoked; log in again"));
                    }
                    return users.find(claims.subject()).map(user -> {
                        if (user.isEmpty()) {
                            count("refresh-rejected");
                            throw AuthExceptions.invalidCredentials("The refresh token's user no longer exists");
                        }
                        count("refresh");
                        return tokens.issue(claims.subject(), user.get().roles(), claims.family());
                    });
                });
    }

    /**
     * Creates a user who logs in with a password.
     *
     * @throws dev.switchboard.common.problem.ProblemException 409 user-exists
     */
    public Uni<Void> createUser(String username, String password, List<String> roles) {
        return hash(password).chain(hash -> users.create(username, hash, roles)).map(created -> {
            if (!created) {
                throw AuthExceptions.userExists(username);
            }
            LOG.infof("User '%s' created with roles %s", username, roles);
            return null;
        });
    }

    private Uni<String> hash(String password) {
        return hasher.hash(password).onFailure(BulkheadException.class).transform(e -> AuthExceptions.overloaded());
    }

    private void count(String outcome) {
        meters.counter("switchboard_auth_logins_total", "outcome", outcome).increment();
    }
}
