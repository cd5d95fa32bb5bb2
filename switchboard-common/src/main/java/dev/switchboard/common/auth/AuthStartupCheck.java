package dev.switchboard.common.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Refuses to start with authentication on but unusable: {@code SERVICE_TOKEN} shorter than 32 characters or
 * {@code JWT_SECRET_KEY} shorter than 32 bytes (HS256 needs a 256-bit key), or a malformed
 * {@code SWITCHBOARD_API_KEYS}. With {@code SKIP_AUTH=true} it logs a warning instead. Never logs a secret.
 */
@ApplicationScoped
public class AuthStartupCheck {

    private static final Logger LOG = Logger.getLogger(AuthStartupCheck.class);
    /** Minimum length of the service token (characters) and the JWT secret (bytes). */
    public static final int MIN_SECRET_LENGTH = 32;

    void onStart(@Observes StartupEvent event, AuthConfig config) {
        if (config.skip()) {
            LOG.warn("SKIP_AUTH=true: authentication is OFF, every request is treated as an administrator. "
                    + "For local use only; never in production.");
            return;
        }
        List<String> problems = new ArrayList<>();
        if (config.serviceToken()
                .filter(t -> t.strip().length() >= MIN_SECRET_LENGTH)
                .isEmpty()) {
            problems.add("SERVICE_TOKEN must be set to at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (config.jwtSecretKey()
                .filter(k -> k.getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_LENGTH)
                .isEmpty()) {
            problems.add("JWT_SECRET_KEY must be set to at least " + MIN_SECRET_LENGTH + " bytes");
        }
        int keys = 0;
        try {
            keys = ApiKeys.parse(config.apiKeys().orElse(List.of())).size();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Authentication is on (SKIP_AUTH=false) but not configured: "
                    + String.join("; ", problems)
                    + ". `./switchboard up` generates these; see the README, section Authentication.");
        }
        LOG.infof("Authentication on: %d API key(s), the service token and JWT configured", keys);
    }
}
