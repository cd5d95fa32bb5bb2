package dev.switchboard.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC keys of Switchboard's own tokens, one per purpose, all from {@code JWT_SECRET_KEY}: access tokens are
 * signed with the secret itself (so a backend that signs its own access tokens with it keeps working); every other
 * purpose gets a key derived with HKDF-SHA256 (RFC 5869) and the purpose as {@code info}, so a token of one purpose
 * never verifies as another.
 */
public final class JwtKeys {

    /** What a token is for; each purpose but {@link #ACCESS} has its own derived key. */
    public enum Purpose {
        /** Access tokens every service accepts: the secret as is. */
        ACCESS(null),
        /** Refresh tokens, accepted only by the supervisor's refresh endpoint. */
        REFRESH("switchboard jwt refresh");

        private final String label;

        Purpose(String label) {
            this.label = label;
        }
    }

    /** 64 bytes: long enough for HS512. */
    private static final int DERIVED_LENGTH = 64;

    private static final String HMAC = "HmacSHA256";

    private JwtKeys() {}

    /**
     * @param secret {@code JWT_SECRET_KEY}
     * @return the HMAC key of {@code purpose}
     */
    public static SecretKey key(String secret, Purpose purpose) {
        byte[] ikm = secret.getBytes(StandardCharsets.UTF_8);
        byte[] key = purpose.label == null
                ? ikm
                : hkdf(new byte[32], ikm, purpose.label.getBytes(StandardCharsets.UTF_8), DERIVED_LENGTH);
        return new SecretKeySpec(key, HMAC);
    }

    /** HKDF-SHA256 extract-then-expand (RFC 5869 §2.2, §2.3). */
    static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(salt, HMAC));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, HMAC));
            byte[] okm = new byte[length];
            byte[] block = new byte[0];
            for (int done = 0, counter = 1; done < length; counter++) {
                mac.update(block);
                mac.update(info);
                mac.update((byte) counter);
                block = mac.doFinal();
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, okm, done, n);
                done += n;
            }
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
