package dev.switchboard.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> check.onStart(null, config(false, "short", "also-short")));
        assertTrue(
                e.getMessage().contains("SERVICE_TOKEN") && e.getMessage().contains("JWT_SECRET_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("also-short"), "never echoes a secret");
        check.onStart(null, config(false, "s".repeat(32), "j".repeat(32)));
        check.onStart(null, config(true, null, null));
    }

    @Test
    void theJwtSecretBecomesAnOctetJwk() {
        assertEquals("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}", JwtSecretConfigSource.jwk("secret"));
    }

    private static AuthConfig config(boolean skip, String serviceToken, String jwtSecret) {
        return new AuthConfig() {
            @Override
            public boolean skip() {
                return skip;
            }

            @Override
            public Optional<List<String>> apiKeys() {
                return Optional.empty();
            }

            @Override
            public Optional<String> serviceToken() {
                return Optional.ofNullable(serviceToken);
            }

            @Override
            public Optional<String> jwtSecretKey() {
                return Optional.ofNullable(jwtSecret);
            }
        };
    }
}
