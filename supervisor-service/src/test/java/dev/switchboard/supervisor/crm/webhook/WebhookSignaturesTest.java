package dev.switchboard.supervisor.crm.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.supervisor.crm.ContactSessions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Signature checks over raw bytes, key parsing (PEM, base64, GHL's published defaults), hashes and secrets. */
class WebhookSignaturesTest {

    private static final byte[] BODY = "{\"type\":\"InboundMessage\",\"body\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

    private static String sign(String algorithm, KeyPair keys, byte[] body) throws Exception {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(keys.getPrivate());
        s.update(body);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    @Test
    void ed25519SignatureMatchesOnlyTheExactBytes() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PublicKey key = WebhookSignatures.parsePublicKey(
                Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()), "Ed25519");
        String signature = sign("Ed25519", keys, BODY);

        assertTrue(WebhookSignatures.verify(WebhookSignatures.ED25519, key, BODY, signature));
        byte[] reserialized = "{\"type\": \"InboundMessage\", \"body\": \"hi\"}".getBytes(StandardCharsets.UTF_8);
        assertFalse(
                WebhookSignatures.verify(WebhookSignatures.ED25519, key, reserialized, signature),
                "same JSON, other bytes");
        assertFalse(WebhookSignatures.verify(WebhookSignatures.ED25519, key, BODY, "not-base64!"));
        assertFalse(WebhookSignatures.verify(WebhookSignatures.ED25519, key, BODY, ""));
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertFalse(WebhookSignatures.verify(WebhookSignatures.ED25519, key, BODY, sign("Ed25519", other, BODY)));
    }

    @Test
    void rsaSha256SignatureWithPemKeyAsEnvEditorsMangleIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        // quoted, with literal \n instead of line breaks
        String pem = ("\"-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\"").replace("\n", "\\n");
        PublicKey key = WebhookSignatures.parsePublicKey(pem, "RSA");

        assertTrue(
                WebhookSignatures.verify(WebhookSignatures.RSA_SHA256, key, BODY, sign("SHA256withRSA", keys, BODY)));
        assertFalse(WebhookSignatures.verify(WebhookSignatures.RSA_SHA256, key, BODY, sign("SHA1withRSA", keys, BODY)));
    }

    @Test
    void ghlPublishedDefaultKeysParse() throws IOException {
        String ed = defaultOf(read("supervisor.webhook.ghl.public-key-ed25519"));
        String rsa = defaultOf(read("supervisor.webhook.ghl.public-key-rsa"));

        assertTrue(WebhookSignatures.parsePublicKey(ed, "Ed25519") instanceof java.security.interfaces.EdECPublicKey);
        assertEquals(
                4096,
                ((RSAPublicKey) WebhookSignatures.parsePublicKey(rsa, "RSA"))
                        .getModulus()
                        .bitLength());
        assertThrows(IllegalArgumentException.class, () -> WebhookSignatures.parsePublicKey(ed, "RSA"));
        assertThrows(IllegalArgumentException.class, () -> WebhookSignatures.parsePublicKey("bm90IGEga2V5", "Ed25519"));
    }

    private static String read(String key) throws IOException {
        Properties props = new Properties();
        try (InputStream in = java.nio.file.Files.newInputStream(
                java.nio.file.Path.of("src/main/resources/application.properties"))) {
            props.load(in);
        }
        return props.getProperty(key);
    }

    /** {@code ${ENV:default}} → default. */
    private static String defaultOf(String value) {
        return value.substring(value.indexOf(':') + 1, value.length() - 1);
    }

    @Test
    void bodyHashAndSharedSecret() {
        assertEquals(
                "sha256:" + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                WebhookSignatures.bodyHash(new byte[0]));
        assertTrue(WebhookSignatures.secretMatches("s3cret", "s3cret"));
        assertFalse(WebhookSignatures.secretMatches("s3cret ", "s3cret"));
        assertFalse(WebhookSignatures.secretMatches(null, "s3cret"));
        assertFalse(WebhookSignatures.secretMatches("", ""), "no secret configured never matches");
    }

    @Test
    void contactSessionsRoundTrip() {
        String id = ContactSessions.sessionId("l1C08ntBrFjLS0elLIYU", "cI08i1Bls3iTB9bKgFJh");
        assertEquals("ghl:l1C08ntBrFjLS0elLIYU:cI08i1Bls3iTB9bKgFJh", id);
        assertTrue(id.matches(dev.switchboard.common.validation.Ids.PATTERN));
        assertEquals(
                new ContactSessions.Contact("l1C08ntBrFjLS0elLIYU", "cI08i1Bls3iTB9bKgFJh"),
                ContactSessions.parse(id).orElseThrow());
        assertTrue(ContactSessions.parse("1b0c-uuid-session").isEmpty());
        assertTrue(ContactSessions.parse("ghl:a:b:c").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ContactSessions.sessionId("loc", "bad:id"));
    }

    @Test
    void replyChannelFollowsTheInboundMessageType() {
        assertEquals("SMS", GhlWebhookProvider.replyChannel("SMS"));
        assertEquals("SMS", GhlWebhookProvider.replyChannel("TYPE_SMS"));
        assertEquals("Email", GhlWebhookProvider.replyChannel("Email"));
        assertEquals("Live_Chat", GhlWebhookProvider.replyChannel("Live Chat"));
        assertEquals("WhatsApp", GhlWebhookProvider.replyChannel("WhatsApp"));
        assertEquals("FB", GhlWebhookProvider.replyChannel("FB"));
        assertEquals("SMS", GhlWebhookProvider.replyChannel(null));
    }
}
