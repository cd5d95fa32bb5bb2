package dev.switchboard.common.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Authentication settings shared by the four services ({@code switchboard.auth.*}; the environment names are
 * mapped once in {@code META-INF/microprofile-config.properties}, so every service reads the same variables).
 */
@ConfigMapping(prefix = "switchboard.auth")
public interface AuthConfig {

    /**
     * {@code SKIP_AUTH}: every request is treated as an administrator. For local use only; a warning is logged
     * at start.
     */
    @WithDefault("false")
    boolean skip();

    /**
     * {@code SWITCHBOARD_API_KEYS}: the accepted API keys as {@code name:role+role:sha256-hex} entries (the hex
     * SHA-256 of the key; the key itself is never stored). {@code name} is the principal, i.e. the user a
     * non-admin key acts as.
     */
    Optional<List<String>> apiKeys();

    /** {@code SERVICE_TOKEN}: the shared secret services send to each other (at least 32 characters). */
    Optional<String> serviceToken();

    /** {@code JWT_SECRET_KEY}: the HMAC secret that signs and verifies JWTs (at least 32 bytes). */
    Optional<String> jwtSecretKey();

    /**
     * Start even when a secret equals a value published in this repository ({@link KnownSecrets}). Off by default;
     * only the tests turn it on, since they run with the test credentials committed beside them.
     */
    @WithDefault("false")
    boolean allowKnownSecrets();

    /**
     * Names of further configuration properties that hold secrets (database password, administrator password,
     * webhook secret...) checked against {@link KnownSecrets} at start; a property the service does not set is
     * skipped.
     */
    Optional<List<String>> secretProperties();
}
