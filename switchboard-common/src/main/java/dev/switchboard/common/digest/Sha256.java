package dev.switchboard.common.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (FIPS 180-4) of a text's UTF-8 bytes: the one digest the services take of a string, for API key and
 * service token hashes and for content-addressed cache keys.
 */
public final class Sha256 {

    private Sha256() {
    }

    /**
     * @return the 32-byte digest of {@code text}'s UTF-8 bytes
     * @throws IllegalStateException if the JDK lacks SHA-256 (every Java SE runtime must have it)
     */
    public static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** @return {@link #digest(String)} as 64 lowercase hex digits */
    public static String hex(String text) {
        return HexFormat.of().formatHex(digest(text));
    }
}
