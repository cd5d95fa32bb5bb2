package dev.switchboard.common.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives quarkus-smallrye-jwt the HMAC key from {@code JWT_SECRET_KEY} (seed 002: a plain secret string). smallrye-jwt
 * reads {@code smallrye.jwt.verify.secretkey} as key content (PEM or JWK), not as the secret itself, so this source
 * offers it as a JSON Web Key of type {@code oct} (RFC 7517 §4, RFC 7518 §6.4) whose {@code k} is the secret's
 * UTF-8 bytes, base64url-encoded. Reads the environment, then system properties.
 */
public class JwtSecretConfigSource implements ConfigSource {

    /** The property smallrye-jwt verifies HMAC-signed tokens with. */
    public static final String VERIFY_KEY = "smallrye.jwt.verify.secretkey";

    private final Map<String, String> properties;

    /** Reads {@code JWT_SECRET_KEY} once. */
    public JwtSecretConfigSource() {
        String secret = System.getenv("JWT_SECRET_KEY");
        if (secret == null || secret.isBlank()) {
            secret = System.getProperty("JWT_SECRET_KEY");
        }
        this.properties = secret == null || secret.isBlank() ? Map.of() : Map.of(VERIFY_KEY, jwk(secret));
    }

    /** @return {@code {"kty":"oct","k":"<base64url of the secret's UTF-8 bytes>"}} */
    public static String jwk(String secret) {
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        return "{\"kty\":\"oct\",\"k\":\"" + k + "\"}";
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "JwtSecretConfigSource";
    }

    /** Between system properties (400) and the environment (300): the derived key wins over a raw default. */
    @Override
    public int getOrdinal() {
        return 290;
    }
}
