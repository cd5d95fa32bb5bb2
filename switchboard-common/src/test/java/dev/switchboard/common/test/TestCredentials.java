package dev.switchboard.common.test;

import dev.switchboard.common.auth.ApiKeys;
import dev.switchboard.common.auth.JwtSecretConfigSource;
import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Credentials every module's tests run with ({@link InfrastructureTestResource} configures the services to accept
 * them; {@link DefaultCredentialsCallback} sends {@link #ADMIN_KEY} unless a test says otherwise). Test values
 * only: never use them anywhere else.
 */
public final class TestCredentials {

    /** API key of principal {@code test-admin}, role admin. */
    public static final String ADMIN_KEY = "sb_test_admin_0123456789abcdef0123456789abcdef";
    /** API key of principal {@code test-user}, role user. */
    public static final String USER_KEY = "sb_test_user_0123456789abcdef0123456789abcdef01";
    /** API key of principal {@code test-user-2}, role user. */
    public static final String OTHER_USER_KEY = "sb_test_user2_0123456789abcdef0123456789abcdef";
    /** API key of principal {@code test-agent}, role agent (remote agent heartbeats). */
    public static final String AGENT_KEY = "sb_test_agent_0123456789abcdef0123456789abcdef";
    /** Principal of {@link #USER_KEY}. */
    public static final String USER = "test-user";
    /** Principal of {@link #OTHER_USER_KEY}. */
    public static final String OTHER_USER = "test-user-2";
    /** Principal of {@link #ADMIN_KEY}. */
    public static final String ADMIN = "test-admin";
    /** The service token of the test services. */
    public static final String SERVICE_TOKEN = "test-service-token-0123456789abcdef0123456789";
    /** The JWT secret of the test services (32+ bytes). */
    public static final String JWT_SECRET = "test-jwt-secret-0123456789abcdef0123456789abcdef";

    private TestCredentials() {}

    /**
     * @return the configuration that makes a service accept these credentials; since they are committed here (and
     *         listed among the known secrets a service refuses), it also sets
     *         {@code switchboard.auth.allow-known-secrets=true}, which nothing but the tests sets
     */
    public static Map<String, String> config() {
        String keys = String.join(
                ",",
                ADMIN + ":admin:" + ApiKeys.hash(ADMIN_KEY),
                USER + ":user:" + ApiKeys.hash(USER_KEY),
                OTHER_USER + ":user:" + ApiKeys.hash(OTHER_USER_KEY),
                "test-agent:agent:" + ApiKeys.hash(AGENT_KEY));
        return Map.of(
                "switchboard.auth.skip",
                "false",
                "switchboard.auth.allow-known-secrets",
                "true",
                "switchboard.auth.api-keys",
                keys,
                "switchboard.auth.service-token",
                SERVICE_TOKEN,
                "switchboard.auth.jwt-secret-key",
                JWT_SECRET,
                JwtSecretConfigSource.VERIFY_KEY,
                JwtSecretConfigSource.jwk(JWT_SECRET));
    }

    /** @return {@code Bearer <key>} */
    public static String bearer(String key) {
        return "Bearer " + key;
    }

    /** @return an access token for {@code subject} with {@code roles}, valid for {@code lifetime} */
    public static String accessToken(String subject, Set<String> roles, Duration lifetime) {
        return Jwt.issuer("switchboard")
                .audience("switchboard")
                .subject(subject)
                .upn(subject)
                .groups(roles)
                .expiresIn(lifetime)
                .signWithSecret(JWT_SECRET);
    }

    /** @return an access token for {@code subject} with {@code roles} that expired an hour ago */
    public static String expiredAccessToken(String subject, Set<String> roles) {
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer("switchboard")
                .audience("switchboard")
                .subject(subject)
                .upn(subject)
                .groups(roles)
                .issuedAt(issued)
                .expiresAt(issued.plus(Duration.ofHours(1)))
                .signWithSecret(JWT_SECRET);
    }
}
