package dev.switchboard.common.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (FIPS 180-4): the one digest the services take, of a text's UTF-8 bytes (API key and service token
 * hashes, content-addressed cache keys) or of raw bytes (content hashes of stored definitions), with its lowercase hex
 * form and a constant-time comparison.
 */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {}

    /**
     * @return the 32-byte digest of {@code text}'s UTF-8 bytes
     * @throws IllegalStateException if the JDK lacks SHA-256 (every Java SE runtime must have it)
     */
    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param parts byte arrays hashed one after the other, as if concatenated (no separator is added: a caller that
     *              needs one to keep parts apart passes it as a part of its own)
     * @return the 32-byte digest of the parts
     * @throws IllegalStateException if the JDK lacks SHA-256 (every Java SE runtime must have it)
     */
    public static byte[] digest(byte[]... parts) {
        MessageDigest digest = newDigest();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    /** @return {@link #digest(String)} as 64 lowercase hex digits */
    public static String hex(String text) {
        return toHex(digest(text));
    }

    /** @return {@link #digest(byte[]...)} as 64 lowercase hex digits */
    public static String hex(byte[]... parts) {
        return toHex(digest(parts));
    }

    /** @return {@code digest} (any bytes, normally a 32-byte digest) as lowercase hex digits, two per byte */
    public static String toHex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    /**
     * Compares two digests in time that depends only on their lengths, so the comparison's timing tells nothing about
     * a secret whose digest is one of them.
     *
     * @return whether {@code a} and {@code b} hold the same bytes; {@code false} if either is {@code null}
     */
    public static boolean same(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
