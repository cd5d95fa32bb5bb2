package dev.switchboard.common.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Refuses to start with authentication on but unusable: {@code SERVICE_TOKEN} shorter than 32 characters or
 * {@code JWT_SECRET_KEY} shorter than 32 bytes (HS256 needs a 256-bit key), or a malformed
 * {@code SWITCHBOARD_API_KEYS}. Also refuses a secret that equals a value published in this repository
 * ({@link KnownSecrets}), and {@code SKIP_AUTH=true} on a service that listens beyond the loopback interface outside
 * dev mode. A refusal is one line on stderr (Quarkus prints a {@link ConfigurationException} that way) and exit code
 * 1. With {@code SKIP_AUTH=true} allowed it logs a warning instead. Never logs a secret.
 */
@ApplicationScoped
public class AuthStartupCheck {

    private static final Logger LOG = Logger.getLogger(AuthStartupCheck.class);
    /** Minimum length of the service token (characters) and the JWT secret (bytes). */
    public static final int MIN_SECRET_LENGTH = 32;

    /**
     * Where the service runs, as far as the check cares.
     *
     * @param httpHost     {@code quarkus.http.host}: the interface the service listens on
     * @param devMode      whether the dev profile is active ({@code quarkus:dev})
     * @param otherSecrets further secrets by property name ({@link AuthConfig#secretProperties()}), unset ones absent
     */
    record Deployment(String httpHost, boolean devMode, Map<String, String> otherSecrets) {}

    void onStart(@Observes StartupEvent event, AuthConfig config) {
        Config mp = ConfigProvider.getConfig();
        Map<String, String> others = new LinkedHashMap<>();
        for (String name : config.secretProperties().orElse(List.of())) {
            mp.getOptionalValue(name, String.class).ifPresent(value -> others.put(name, value));
        }
        check(
                config,
                new Deployment(
                        mp.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0"),
                        ConfigUtils.isProfileActive("dev"),
                        others),
                KnownSecrets.load());
    }

    /**
     * @throws ConfigurationException when the service must not start; the message says why and what to do, in one
     *                                line, and never holds a secret
     */
    void check(AuthConfig config, Deployment deployment, KnownSecrets known) {
        List<String> published = config.allowKnownSecrets() ? List.of() : published(config, deployment, known);
        if (!published.isEmpty()) {
            throw refuse("these secrets equal values published in the Switchboard repository, so anyone can use them: "
                    + String.join(", ", published)
                    + ". Set your own: `./switchboard secrets` generates them (see the README, section Security)");
        }
        if (config.skip()) {
            if (!deployment.devMode() && !isLoopback(deployment.httpHost())) {
                throw refuse("SKIP_AUTH=true would let anyone who reaches " + deployment.httpHost()
                        + " act as an administrator. It is honoured only when the service listens on loopback only "
                        + "(HOST=127.0.0.1) or in dev mode; unset SKIP_AUTH or set HOST=127.0.0.1");
            }
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
            throw refuse("authentication is on (SKIP_AUTH=false) but not configured: "
                    + String.join("; ", problems)
                    + ". `./switchboard up` generates these; see the README, section Authentication");
        }
        LOG.infof("Authentication on: %d API key(s), the service token and JWT configured", keys);
    }

    /** @return the names of the configured secrets that {@code known} lists (never their values) */
    private static List<String> published(AuthConfig config, Deployment deployment, KnownSecrets known) {
        List<String> names = new ArrayList<>();
        if (config.serviceToken().filter(known::isKnown).isPresent()) {
            names.add("SERVICE_TOKEN");
        }
        if (config.jwtSecretKey().filter(known::isKnown).isPresent()) {
            names.add("JWT_SECRET_KEY");
        }
        try {
            ApiKeys.parse(config.apiKeys().orElse(List.of()))
                    .namesWithHash(known::isKnownHash)
                    .forEach(name -> names.add("the API key of '" + name + "' in SWITCHBOARD_API_KEYS"));
        } catch (IllegalArgumentException e) {
            // reported by the configuration check
        }
        deployment.otherSecrets().forEach((name, value) -> {
            if (known.isKnown(value)) {
                names.add(name);
            }
        });
        return names;
    }

    /** @return whether {@code host} is a loopback address or name only ({@code 127.0.0.0/8}, {@code ::1}) */
    static boolean isLoopback(String host) {
        String h = Optional.ofNullable(host).orElse("").strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equalsIgnoreCase("localhost")
                || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static ConfigurationException refuse(String why) {
        return new ConfigurationException("Switchboard refuses to start: " + why + ".");
    }
}
