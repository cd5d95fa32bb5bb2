package dev.switchboard.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parts of authentication that need no running service: key entries, bearer parsing, the start-up check. */
class AuthPiecesTest {

    @Test
    void apiKeysAreMatchedByHashAndCarryTheirNameAndRoles() {
        ApiKeys keys =
                ApiKeys.parse(List.of("ops:admin+user:" + ApiKeys.hash("k1"), " bot:user:" + ApiKeys.hash("k2") + " "));
        assertEquals(2, keys.size());
        assertEquals("ops", keys.find("k1").orElseThrow().name());
        assertEquals(Set.of("admin", "user"), keys.find("k1").orElseThrow().roles());
        assertEquals(Set.of("user"), keys.find("k2").orElseThrow().roles());
        assertTrue(keys.find("k3").isEmpty());
        assertTrue(keys.find(ApiKeys.hash("k1")).isEmpty(), "the stored hash is not itself a key");
    }

    @Test
    void malformedEntriesAreRefusedWithoutEchoingThem() {
        for (String entry : List.of(
                "ops:admin",
                "ops:admin:nothex",
                "bad name:admin:" + ApiKeys.hash("k"),
                ":admin:" + ApiKeys.hash("k"))) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of(entry)));
            assertFalse(e.getMessage().contains(ApiKeys.hash("k")), e.getMessage());
        }
    }

    @Test
    void bearerValuesAndJwtShapes() {
        assertEquals("abc", BearerKeyAuthMechanism.bearerValue("Bearer abc"));
        assertEquals("abc", BearerKeyAuthMechanism.bearerValue("bearer   abc "));
        assertNull(BearerKeyAuthMechanism.bearerValue("Basic abc"));
        assertNull(BearerKeyAuthMechanism.bearerValue("Bearer "));
        assertNull(BearerKeyAuthMechanism.bearerValue(null));
        assertTrue(BearerKeyAuthMechanism.isJwt("aaa.bbb.ccc"));
        assertFalse(BearerKeyAuthMechanism.isJwt("sb_admin_0123"));
        assertFalse(BearerKeyAuthMechanism.isJwt("a.b"));
        assertFalse(BearerKeyAuthMechanism.isJwt("a..c"));
        assertFalse(BearerKeyAuthMechanism.isJwt("a.b.c.d"));
    }

    @Test
    void startRefusesShortSecretsUnlessAuthIsSkipped() {
        AuthStartupCheck check = new AuthStartupCheck();
        ConfigurationException e = assertThrows(
                ConfigurationException.class, () -> check(check, config(false, "short", "also-short"), "0.0.0.0"));
        assertTrue(
                e.getMessage().contains("SERVICE_TOKEN") && e.getMessage().contains("JWT_SECRET_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("also-short"), "never echoes a secret");
        check(check, config(false, "s".repeat(32), "j".repeat(32)), "0.0.0.0");
        check(check, config(true, null, null), "127.0.0.1");
    }

    /** The published dev placeholders of docker-compose.yml and k8s: whoever read the repository holds them. */
    @Test
    void startRefusesSecretsPublishedInTheRepository() {
        AuthStartupCheck check = new AuthStartupCheck();
        KnownSecrets known = KnownSecrets.load();
        String composeToken = "compose-dev-service-token-change-me-0123";
        String k8sJwt = "dev-only-jwt-secret-change-me-0123456789abcdef";
        String devAdminKeyHash = ApiKeys.hash("sb_dev_admin_change_me");
        AuthConfig published = config(
                false,
                composeToken,
                k8sJwt,
                List.of("admin:admin:" + devAdminKeyHash, "ops:admin:" + ApiKeys.hash("a fresh key")),
                false);
        AuthStartupCheck.Deployment deployment = new AuthStartupCheck.Deployment(
                "0.0.0.0",
                false,
                Map.of("quarkus.datasource.password", "change-me", "supervisor.auth.admin-password", "fresh-one"));
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> check.check(published, deployment, known));
        String line = e.getMessage();
        assertFalse(line.contains("\n"), "one line: " + line);
        for (String named :
                List.of("SERVICE_TOKEN", "JWT_SECRET_KEY", "API key of 'admin'", "quarkus.datasource.password")) {
            assertTrue(line.contains(named), named + " named in: " + line);
        }
        for (String secret :
                List.of(composeToken, k8sJwt, devAdminKeyHash, "change-me", "'ops'", "admin-password", "fresh-one")) {
            assertFalse(line.contains(secret), "does not name " + secret + ": " + line);
        }
        // the tests' own credentials are published too; only their explicit setting lets a service start with them
        check.check(
                config(false, composeToken, k8sJwt, List.of("admin:admin:" + devAdminKeyHash), true),
                deployment,
                known);
        check.check(config(false, "s".repeat(32), "j".repeat(32)), deployment("0.0.0.0", false), known);
    }

    @Test
    void skipAuthIsHonouredOnlyOnLoopbackOrInDevMode() {
        AuthStartupCheck check = new AuthStartupCheck();
        KnownSecrets known = KnownSecrets.load();
        for (String host : List.of("0.0.0.0", "::", "10.0.0.5", "switchboard.example.com")) {
            ConfigurationException e = assertThrows(
                    ConfigurationException.class,
                    () -> check.check(config(true, null, null), deployment(host, false), known),
                    host);
            assertTrue(e.getMessage().contains("SKIP_AUTH") && e.getMessage().contains(host), e.getMessage());
        }
        for (String host : List.of("127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1")) {
            check.check(config(true, null, null), deployment(host, false), known);
        }
        check.check(config(true, null, null), deployment("0.0.0.0", true), known);
    }

    @Test
    void theKnownSecretsListHoldsHashesOnly() {
        KnownSecrets known = KnownSecrets.load();
        assertTrue(known.size() > 10, "the list is shipped: " + known.size());
        assertTrue(known.isKnown("sb_test_admin_0123456789abcdef0123456789abcdef"));
        assertTrue(known.isKnownHash(ApiKeys.hash("sb_dev_chat_change_me").toUpperCase()));
        assertFalse(known.isKnown(""));
        assertFalse(known.isKnown("a value nobody published " + System.nanoTime()));
    }

    private static void check(AuthStartupCheck check, AuthConfig config, String host) {
        check.check(config, deployment(host, false), KnownSecrets.load());
    }

    private static AuthStartupCheck.Deployment deployment(String host, boolean dev) {
        return new AuthStartupCheck.Deployment(host, dev, Map.of());
    }

    @Test
    void theJwtSecretBecomesAnOctetJwk() {
        assertEquals("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}", JwtSecretConfigSource.jwk("secret"));
    }

    private static AuthConfig config(boolean skip, String serviceToken, String jwtSecret) {
        return config(skip, serviceToken, jwtSecret, List.of(), false);
    }

    private static AuthConfig config(
            boolean skip, String serviceToken, String jwtSecret, List<String> apiKeys, boolean allowKnown) {
        return new AuthConfig() {
            @Override
            public boolean skip() {
                return skip;
            }

            @Override
            public Optional<List<String>> apiKeys() {
                return apiKeys.isEmpty() ? Optional.empty() : Optional.of(apiKeys);
            }

            @Override
            public Optional<String> serviceToken() {
                return Optional.ofNullable(serviceToken);
            }

            @Override
            public Optional<String> jwtSecretKey() {
                return Optional.ofNullable(jwtSecret);
            }

            @Override
            public boolean allowKnownSecrets() {
                return allowKnown;
            }

            @Override
            public Optional<List<String>> secretProperties() {
                return Optional.empty();
            }
        };
    }
}
