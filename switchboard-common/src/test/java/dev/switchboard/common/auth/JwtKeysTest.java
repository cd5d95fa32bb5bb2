package dev.switchboard.common.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Per-purpose token keys and the token header's algorithm, without a running service. */
class JwtKeysTest {

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        HexFormat hex = HexFormat.of();
        byte[] okm = JwtKeys.hkdf(
                hex.parseHex("000102030405060708090a0b0c"),
                hex.parseHex("0b".repeat(22)),
                hex.parseHex("f0f1f2f3f4f5f6f7f8f9"),
                42);
        assertArrayEquals(
                hex.parseHex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
                okm);
    }

    @Test
    void refreshTokensHaveTheirOwnKey() {
        String secret = "j".repeat(40);
        byte[] access = JwtKeys.key(secret, JwtKeys.Purpose.ACCESS).getEncoded();
        byte[] refresh = JwtKeys.key(secret, JwtKeys.Purpose.REFRESH).getEncoded();
        assertEquals(64, refresh.length, "long enough for HS512");
        assertFalse(Arrays.equals(access, refresh));
        assertArrayEquals(refresh, JwtKeys.key(secret, JwtKeys.Purpose.REFRESH).getEncoded(), "deterministic");
    }

    @Test
    void theHeaderAlgorithmIsReadOrNull() {
        assertEquals(SignatureAlgorithm.RS256, JwtIdentityProvider.algorithm("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        assertNull(JwtIdentityProvider.algorithm("eyJhbGciOiJub25lIn0.e30.c2ln"), "none is no signature algorithm");
        assertNull(JwtIdentityProvider.algorithm("not-base64!.e30.c2ln"));
    }
}
