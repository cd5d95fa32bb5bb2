package dev.switchboard.supervisor.crm.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.json.JacksonCustomizer;
import dev.switchboard.supervisor.crm.ContactSessions;
import dev.switchboard.supervisor.crm.webhook.WebhookEvent.Disposition;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * GoHighLevel's signed webhooks ({@code POST /webhooks/ghl}). Authenticity is checked over the raw bytes before
 * parsing: {@code x-ghl-signature} (Ed25519, base64) when present decides alone; otherwise the legacy
 * {@code x-wh-signature} (RSA SHA-256 PKCS#1 v1.5, base64); neither → 401. An authentic body is read as third-party
 * text ({@link WebhookPayloads}): what PostgreSQL cannot store becomes U+FFFD, never a refusal. A missing
 * {@code timestamp}, or one further than {@code GHL_WEBHOOK_MAX_AGE} (5 min) from now → 401, like a bad signature. GHL
 * signs every app's webhooks with one platform-wide key, so an authentic delivery must also be for one of our
 * locations and, when {@code GHL_APP_ID} is set, not name another app ({@link GhlLocations}) → else 403
 * {@code location-not-allowed}; with no location configured the provider is off. The dedup key is {@code webhookId},
 * else a hash of the body.
 *
 * <p>Types: {@code InboundMessage} with a body → processed as a chat turn (the reply goes back on the same channel);
 * without a body (calls, voicemail) or {@code direction: outbound} → recorded; {@code OutboundMessage},
 * {@code ContactCreate}, {@code AppointmentCreate} → recorded (our own replies echoed back are dropped by the
 * intake's loop guard); anything else → acknowledged and dropped.
 */
@ApplicationScoped
public class GhlWebhookProvider implements WebhookProvider {

    /** Provider name and path segment. */
    public static final String NAME = "ghl";
    /** Ed25519 signature header (current). */
    public static final String ED25519_HEADER = "x-ghl-signature";
    /** RSA signature header (legacy). */
    public static final String RSA_HEADER = "x-wh-signature";

    private static final Logger LOG = Logger.getLogger(GhlWebhookProvider.class);
    private static final Set<String> RECORDED = Set.of("OutboundMessage", "ContactCreate", "AppointmentCreate");

    private final ObjectMapper thirdPartyJson;
    private final PublicKey ed25519;
    private final PublicKey rsa;
    private final Duration maxAge;
    private final GhlLocations locations;

    /** CDI constructor: parses the configured public keys (an invalid key fails startup). */
    public GhlWebhookProvider(WebhookConfig config, ObjectMapper mapper, GhlLocations locations) {
        this.thirdPartyJson = JacksonCustomizer.forThirdPartyText(mapper);
        this.ed25519 = config.ghl()
                .publicKeyEd25519()
                .filter(k -> !k.isBlank())
                .map(k -> WebhookSignatures.parsePublicKey(k, "Ed25519"))
                .orElse(null);
        this.rsa = config.ghl()
                .publicKeyRsa()
                .filter(k -> !k.isBlank())
                .map(k -> WebhookSignatures.parsePublicKey(k, "RSA"))
                .orElse(null);
        this.maxAge = config.ghl().maxAge();
        this.locations = locations;
    }

    void onStart(@Observes StartupEvent event) {
        if (!locations.configured()) {
            LOG.warn("POST /webhooks/ghl is off: neither GHL_LOCATION_IDS nor GHL_LOCATION_ID is set. GoHighLevel"
                    + " signs every app's webhooks with one platform-wide key, so only the location tells our"
                    + " deliveries from another account's");
        } else {
            LOG.infof(
                    "POST /webhooks/ghl accepts locations %s (%s)",
                    new TreeSet<>(locations.allowed()), locations.source());
        }
        if (ed25519 == null && rsa == null) {
            LOG.warn("No GoHighLevel webhook public key configured (GHL_WEBHOOK_PUBLIC_KEY_ED25519 /"
                    + " GHL_WEBHOOK_PUBLIC_KEY_RSA): every POST /webhooks/ghl is refused with 401");
        } else if (ed25519 == null) {
            LOG.warn("No Ed25519 key (GHL_WEBHOOK_PUBLIC_KEY_ED25519): x-ghl-signature deliveries are refused");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> disabledReason() {
        return locations.configured()
                ? Optional.empty()
                : Optional.of("The webhook provider 'ghl' is off: GHL_LOCATION_IDS (or GHL_LOCATION_ID) is not set");
    }

    @Override
    public WebhookEvent accept(byte[] rawBody, Function<String, String> headers, Instant now) {
        authenticate(rawBody, headers);
        JsonNode payload = WebhookPayloads.parseObject(thirdPartyJson, rawBody);
        checkTimestamp(payload, now);
        String locationId = text(payload, "locationId");
        locations.requireAllowed(locationId, text(payload, "appId"));
        String type = text(payload, "type");
        String eventId = text(payload, "webhookId");
        if (eventId == null) {
            eventId = WebhookSignatures.bodyHash(rawBody);
        }
        String contactId = text(payload, "contactId");
        String messageId = text(payload, "messageId");
        if ("InboundMessage".equals(type)) {
            String body = text(payload, "body");
            boolean outbound = "outbound".equalsIgnoreCase(text(payload, "direction"));
            boolean answerable = body != null && !body.isBlank() && !outbound;
            String channel = replyChannel(text(payload, "messageType"));
            if (answerable && (!ContactSessions.isValidPart(locationId) || !ContactSessions.isValidPart(contactId))) {
                throw new MalformedWebhookException(
                        "InboundMessage needs locationId and contactId matching " + "[A-Za-z0-9._-]{1,60}");
            }
            return new WebhookEvent(
                    NAME,
                    eventId,
                    type,
                    answerable ? Disposition.PROCESS : Disposition.RECORD,
                    locationId,
                    contactId,
                    channel,
                    answerable ? body : null,
                    messageId,
                    payload);
        }
        Disposition disposition = type != null && RECORDED.contains(type) ? Disposition.RECORD : Disposition.IGNORE;
        return new WebhookEvent(
                NAME,
                eventId,
                type == null ? "unknown" : type,
                disposition,
                locationId,
                contactId,
                null,
                null,
                messageId,
                payload);
    }

    /** Ed25519 header present → it alone decides; else the RSA header; else refused. */
    private void authenticate(byte[] rawBody, Function<String, String> headers) {
        String edSignature = headers.apply(ED25519_HEADER);
        if (edSignature != null && !edSignature.isBlank()) {
            if (ed25519 == null) {
                throw new InvalidWebhookSignatureException(
                        "x-ghl-signature cannot be checked: no Ed25519 key configured");
            }
            if (!WebhookSignatures.verify(WebhookSignatures.ED25519, ed25519, rawBody, edSignature)) {
                throw new InvalidWebhookSignatureException("x-ghl-signature does not match the body");
            }
            return;
        }
        String rsaSignature = headers.apply(RSA_HEADER);
        if (rsaSignature != null && !rsaSignature.isBlank()) {
            if (rsa == null) {
                throw new InvalidWebhookSignatureException("x-wh-signature cannot be checked: no RSA key configured");
            }
            if (!WebhookSignatures.verify(WebhookSignatures.RSA_SHA256, rsa, rawBody, rsaSignature)) {
                throw new InvalidWebhookSignatureException("x-wh-signature does not match the body");
            }
            return;
        }
        throw new InvalidWebhookSignatureException("Missing x-ghl-signature / x-wh-signature header");
    }

    /**
     * {@code timestamp}: ISO-8601 or epoch milliseconds, required: a signed body without one would stay valid for
     * ever, so a captured delivery could be replayed once its queue row (the dedup record) is gone.
     */
    private void checkTimestamp(JsonNode payload, Instant now) {
        JsonNode ts = payload.get("timestamp");
        if (ts == null || ts.isNull() || ts.isContainerNode()) {
            throw new InvalidWebhookSignatureException("timestamp is missing: signed deliveries must carry one");
        }
        Instant sent;
        try {
            sent = ts.isNumber()
                    ? Instant.ofEpochMilli(ts.asLong())
                    : ts.asText().chars().allMatch(Character::isDigit)
                            ? Instant.ofEpochMilli(Long.parseLong(ts.asText()))
                            : Instant.parse(ts.asText());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new InvalidWebhookSignatureException("timestamp is not an ISO-8601 instant or epoch milliseconds");
        }
        if (Duration.between(sent, now).abs().compareTo(maxAge) > 0) {
            throw new InvalidWebhookSignatureException("timestamp is outside the accepted window of " + maxAge);
        }
    }

    /** GHL's inbound {@code messageType} → the {@code type} of {@code POST /conversations/messages}. */
    static String replyChannel(String messageType) {
        if (messageType == null) {
            return "SMS";
        }
        String t = messageType.toUpperCase(Locale.ROOT).replace("TYPE_", "").replace(' ', '_');
        return switch (t) {
            case "EMAIL" -> "Email";
            case "WHATSAPP" -> "WhatsApp";
            case "FB", "FACEBOOK" -> "FB";
            case "IG", "INSTAGRAM" -> "IG";
            case "GMB" -> "GMB";
            case "LIVE_CHAT", "LIVECHAT", "WEBCHAT", "WEB_CHAT" -> "Live_Chat";
            case "CUSTOM" -> "Custom";
            default -> "SMS";
        };
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
