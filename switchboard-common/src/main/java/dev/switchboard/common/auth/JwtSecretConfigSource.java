package dev.switchboard.common.auth;

import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Gives quarkus-smallrye-jwt the HMAC key from {@code JWT_SECRET_KEY}, which deployments set as a plain secret
 * string. smallrye-jwt reads {@code smallrye.jwt.verify.secretkey} as key content (PEM or JWK), not as the secret
 * itself, so this source offers it as a JSON Web Key of type {@code oct} (RFC 7517 §4, RFC 7518 §6.4) whose
 * {@code k} is the secret's UTF-8 bytes, base64url-encoded. Reads the environment, then system properties.
 */
public class JwtSecretConfigSource extends MapBackedConfigSource {

    /** The property smallrye-jwt verifies HMAC-signed tokens with. */
    public static final String VERIFY_KEY = "smallrye.jwt.verify.secretkey";

    /**
     * Reads {@code JWT_SECRET_KEY} once; ordinal 290, between the environment (300) and application.properties
     * (250), so the derived key wins over a default in a properties file.
     */
    public JwtSecretConfigSource() {
        super("JwtSecretConfigSource", properties(), 290);
    }

    private static Map<String, String> properties() {
        String secret = System.getenv("JWT_SECRET_KEY");
        if (secret == null || secret.isBlank()) {
            secret = System.getProperty("JWT_SECRET_KEY");
        }
        return secret == null || secret.isBlank() ? Map.of() : Map.of(VERIFY_KEY, jwk(secret));
    }

    /** @return {@code {"kty":"oct","k":"<base64url of the secret's UTF-8 bytes>"}} */
    public static String jwk(String secret) {
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        return "{\"kty\":\"oct\",\"k\":\"" + k + "\"}";
    }
}
