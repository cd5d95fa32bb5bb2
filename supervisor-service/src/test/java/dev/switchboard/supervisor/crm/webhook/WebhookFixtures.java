package dev.switchboard.supervisor.crm.webhook;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.supervisor.testing.GhlWireMockResource;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GoHighLevel webhook bodies in the documented shapes (marketplace docs: InboundMessage, OutboundMessage,
 * ContactCreate; app webhooks add {@code webhookId} and {@code timestamp}), signed delivery, and row lookups.
 */
final class WebhookFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    private WebhookFixtures() {}

    /** The documented InboundMessage example with our ids, text, webhookId and timestamp. */
    static ObjectNode inboundMessage(String webhookId, String contactId, String body, Instant timestamp) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "InboundMessage").put("locationId", GhlWireMockResource.LOCATION);
        n.putArray("attachments");
        if (body != null) {
            n.put("body", body);
        }
        n.put("contactId", contactId)
                .put("contentType", "text/plain")
                .put("conversationId", "conv-" + contactId)
                .put("dateAdded", "2021-04-21T11:31:45.750Z")
                .put("direction", "inbound")
                .put("messageType", "SMS")
                .put("status", "delivered")
                .put("messageId", "in-" + webhookId)
                .put("from", "+15551234567")
                .put("to", "+15559876543")
                .put("messageTypeId", 2)
                .put("messageTypeString", "TYPE_SMS");
        n.put("webhookId", webhookId).put("timestamp", timestamp.toString());
        return n;
    }

    /** A documented ContactCreate example (recorded, not processed). */
    static ObjectNode contactCreate(String webhookId, String contactId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "ContactCreate")
                .put("locationId", GhlWireMockResource.LOCATION)
                .put("id", contactId)
                .put("contactId", contactId)
                .put("email", "ada@example.com")
                .put("firstName", "Ada")
                .put("lastName", "Lovelace")
                .put("phone", "+15551234567")
                .put("source", "public api");
        n.putArray("tags").add("lead");
        n.put("webhookId", webhookId).put("timestamp", Instant.now().toString());
        return n;
    }

    /** A documented OutboundMessage (sent from GHL to the contact). */
    static ObjectNode outboundMessage(String webhookId, String contactId, String messageId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "OutboundMessage")
                .put("locationId", GhlWireMockResource.LOCATION)
                .put("body", "our reply")
                .put("contactId", contactId)
                .put("conversationId", "conv-" + contactId)
                .put("direction", "outbound")
                .put("messageType", "SMS")
                .put("status", "delivered")
                .put("messageId", messageId)
                .put("webhookId", webhookId)
                .put("timestamp", Instant.now().toString());
        return n;
    }

    /** POSTs with an Ed25519 {@code x-ghl-signature} over the exact bytes sent. */
    static Response postSigned(String body) {
        return given().contentType("application/json")
                .header("x-ghl-signature", GhlWireMockResource.signEd25519(body))
                .body(body)
                .when()
                .post("/webhooks/ghl");
    }

    /** Rows stored for a contact, oldest first. */
    static List<Row> rowsOf(Pool pool, String contactId) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT * FROM supervisor.message_queue WHERE contact_id = $1 ORDER BY id")
                .execute(Tuple.of(contactId))
                .await()
                .atMost(WAIT)
                .forEach(rows::add);
        return rows;
    }

    /** @return the single row of an event id, or {@code null} */
    static Row rowOfEvent(Pool pool, String eventId) {
        var rows = pool.preparedQuery("SELECT * FROM supervisor.message_queue WHERE event_id = $1")
                .execute(Tuple.of(eventId))
                .await()
                .atMost(WAIT);
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    /** @return a GHL-style id: 20 alphanumerics, unique per call */
    static String ghlId(String prefix) {
        return prefix + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
