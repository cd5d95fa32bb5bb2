package dev.switchboard.supervisor.crm.webhook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.json.JacksonCustomizer;
import dev.switchboard.supervisor.crm.ContactSessions;
import dev.switchboard.supervisor.crm.ghl.GhlConfig;
import dev.switchboard.supervisor.crm.webhook.WebhookEvent.Disposition;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.function.Function;

/**
 * The GoHighLevel workflow "Webhook" action ({@code POST /webhooks/ghl-workflow}): unsigned, snake_case contact
 * fields. Authenticated by a shared secret ({@code WEBHOOK_SECRET}) in a configurable header, compared in
 * constant time; no secret configured → every delivery 401. Fields are located with configurable JSON Pointers
 * (RFC 6901): contact id, location id (falls back to {@code GHL_LOCATION_ID}), message, channel, event id (absent →
 * a hash of the body). When GHL locations are configured ({@link GhlLocations}: {@code GHL_LOCATION_IDS}, else
 * {@code GHL_LOCATION_ID}) the location must be one of them (403 {@code location-not-allowed}); with none configured
 * any location is taken, the secret being ours alone. A body with a message is processed as a chat turn; without one
 * it is recorded. The body is read as third-party text ({@link WebhookPayloads}): what PostgreSQL cannot store becomes
 * U+FFFD.
 */
@ApplicationScoped
public class GhlWorkflowWebhookProvider implements WebhookProvider {

    /** Provider name and path segment. */
    public static final String NAME = "ghl-workflow";

    private final ObjectMapper thirdPartyJson;
    private final WebhookConfig.Workflow config;
    private final String defaultLocation;
    private final GhlLocations locations;

    /** CDI constructor. */
    public GhlWorkflowWebhookProvider(
            WebhookConfig config, GhlConfig ghl, ObjectMapper mapper, GhlLocations locations) {
        this.thirdPartyJson = JacksonCustomizer.forThirdPartyText(mapper);
        this.config = config.workflow();
        this.defaultLocation = ghl.locationId().orElse(null);
        this.locations = locations;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WebhookEvent accept(byte[] rawBody, Function<String, String> headers, Instant now) {
        String secret = config.secret().orElse("");
        if (secret.isBlank()) {
            throw new InvalidWebhookSignatureException("The workflow webhook is disabled: WEBHOOK_SECRET is not set");
        }
        if (!WebhookSignatures.secretMatches(headers.apply(config.secretHeader()), secret)) {
            throw new InvalidWebhookSignatureException("Missing or wrong " + config.secretHeader() + " header");
        }
        JsonNode payload = WebhookPayloads.parseObject(thirdPartyJson, rawBody);
        String contactId = at(payload, config.contactIdField());
        String locationId = at(payload, config.locationIdField());
        if (locationId == null) {
            locationId = defaultLocation;
        }
        if (!ContactSessions.isValidPart(contactId) || !ContactSessions.isValidPart(locationId)) {
            throw new MalformedWebhookException("The workflow body needs a contact id (" + config.contactIdField()
                    + ") and a location id (" + config.locationIdField() + " or GHL_LOCATION_ID) matching "
                    + "[A-Za-z0-9._-]{1,60}");
        }
        if (locations.configured()) {
            locations.requireAllowed(locationId, null);
        }
        String message = at(payload, config.messageField());
        String eventId = at(payload, config.eventIdField());
        if (eventId == null) {
            eventId = WebhookSignatures.bodyHash(rawBody);
        }
        String channel = at(payload, config.channelField());
        boolean answerable = message != null && !message.isBlank();
        return new WebhookEvent(
                NAME,
                eventId,
                answerable ? "InboundMessage" : "WorkflowEvent",
                answerable ? Disposition.PROCESS : Disposition.RECORD,
                locationId,
                contactId,
                channel == null ? config.defaultChannel() : GhlWebhookProvider.replyChannel(channel),
                answerable ? message : null,
                null,
                payload);
    }

    private static String at(JsonNode payload, String pointer) {
        if (pointer == null || pointer.isBlank()) {
            return null;
        }
        JsonNode value = payload.at(JsonPointer.compile(pointer));
        return value.isMissingNode() || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
