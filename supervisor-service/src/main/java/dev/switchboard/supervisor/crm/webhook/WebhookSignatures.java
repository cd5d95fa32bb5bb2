package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.digest.Sha256;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Signature checks over raw webhook bytes with the JDK's providers: Ed25519 (GHL {@code x-ghl-signature}) and RSA
 * SHA-256 PKCS#1 v1.5 ({@code SHA256withRSA}, GHL's legacy {@code x-wh-signature}); base64 signatures; public keys
 * as PEM or bare base64 SubjectPublicKeyInfo (X.509 SPKI, RFC 5280).
 */
public final class WebhookSignatures {

    /** JCA name of Ed25519 (RFC 8032). */
    public static final String ED25519 = "Ed25519";
    /** JCA name of RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017). */
    public static final String RSA_SHA256 = "SHA256withRSA";

    private WebhookSignatures() {}

    /**
     * Parses a public key.
     *
     * @param pemOrBase64 {@code -----BEGIN PUBLIC KEY-----} PEM (line breaks, literal {@code \n} and quotes are
     *                    tolerated, as env editors mangle them) or the bare base64 SPKI
     * @param keyAlgorithm {@code Ed25519} or {@code RSA}
     * @return the key; {@link IllegalArgumentException} when it is not a valid key of that algorithm
     */
    public static PublicKey parsePublicKey(String pemOrBase64, String keyAlgorithm) {
        String body = pemOrBase64
                .replace("\\n", "\n")
                .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                .replaceAll("[\"'\\s]", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            return KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid " + keyAlgorithm + " public key (PEM or base64 SPKI)", e);
        }
    }

    /**
     * Verifies a base64 signature over the raw bytes.
     *
     * @param algorithm       {@link #ED25519} or {@link #RSA_SHA256}
     * @param key             the signer's public key
     * @param rawBody         the request body exactly as received
     * @param base64Signature the header value
     * @return {@code true} only for a well-formed signature that matches
     */
    public static boolean verify(String algorithm, PublicKey key, byte[] rawBody, String base64Signature) {
        if (key == null || base64Signature == null || base64Signature.isBlank()) {
            return false;
        }
        try {
            byte[] signature = Base64.getDecoder().decode(base64Signature.strip());
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(rawBody);
            return verifier.verify(signature);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** @return {@code sha256:<lowercase hex>} of the bytes: the dedup key of a delivery without an event id */
    public static String bodyHash(byte[] rawBody) {
        return "sha256:" + Sha256.hex(rawBody);
    }

    /**
     * Compares a presented shared secret with the configured one. Their digests are compared, not the texts: equal
     * lengths, so neither the comparison's time nor an early exit on a length mismatch tells anything about the
     * secret's length or content.
     *
     * @return {@code true} only when both are present, a secret is configured, and they are equal
     */
    public static boolean secretMatches(String presented, String configured) {
        if (presented == null || configured == null || configured.isEmpty()) {
            return false;
        }
        return Sha256.same(Sha256.digest(presented), Sha256.digest(configured));
    }
}
