package dev.switchboard.supervisor.crm.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads an authentic webhook body as third-party text. A CRM cannot be asked to resend a message without the
 * characters PostgreSQL refuses, so they are kept as U+FFFD rather than refused: bytes that are not UTF-8 are
 * decoded as U+FFFD, and U+0000 and lone surrogates (JSON escapes) become U+FFFD through the mapper
 * ({@code JacksonCustomizer.forThirdPartyText}).
 */
final class WebhookPayloads {

    private WebhookPayloads() {}

    /**
     * @param thirdPartyJson a mapper that replaces unstorable text
     * @param rawBody        the body exactly as received (already authenticated)
     * @return the body's JSON object; {@link MalformedWebhookException} (400) when it is not JSON or not an object
     */
    static JsonNode parseObject(ObjectMapper thirdPartyJson, byte[] rawBody) {
        String text = new String(rawBody, StandardCharsets.UTF_8); // malformed UTF-8 becomes U+FFFD
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        JsonNode node;
        try {
            node = thirdPartyJson.readTree(text);
        } catch (IOException e) {
            throw new MalformedWebhookException("The body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new MalformedWebhookException("The body must be a JSON object");
        }
        return node;
    }
}
