package dev.switchboard.supervisor.crm.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.JSON;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.WAIT;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.ghlId;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.inboundMessage;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.postSigned;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.rowOfEvent;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.rowsOf;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.GhlWireMockResource;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code POST /webhooks/{provider}} refuses before anything is stored: GoHighLevel deliveries signed with GHL's
 * platform-wide key for a location or app this deployment does not serve (403), without a {@code timestamp} (401),
 * bodies over {@code WEBHOOK_MAX_BODY_SIZE} (413, with and without {@code Content-Length}), providers their settings
 * switch off (404); and that providers check deliveries off the event loop.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = GhlWireMockResource.class, restrictToAnnotatedClass = false)
class WebhookAdmissionTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String TYPES = "https://switchboard.dev/problems/";
    private static final String FOREIGN_LOCATION = "locSomeoneElse";

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    Pool pool;

    @Inject
    TestWebhookProviders.ThreadProbe probe;

    @TestHTTPResource("/webhooks/ghl")
    URI ghlEndpoint;

    @BeforeEach
    void setUp() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    private String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void signedDeliveryForAnotherLocationIsRefusedAndStoredNowhere() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("x");
        // signed exactly as GHL signs every app's webhooks: only the location says it is not ours
        String foreign = inboundMessage("wh-foreign-" + marker, contact, "book me " + marker, Instant.now())
                .put("locationId", FOREIGN_LOCATION)
                .toString();

        postSigned(foreign)
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo(TYPES + "location-not-allowed"))
                .body("status", equalTo(403));
        given().contentType("application/json")
                .header("x-wh-signature", GhlWireMockResource.signRsa(foreign))
                .body(foreign)
                .when()
                .post("/webhooks/ghl")
                .then()
                .statusCode(403)
                .body("type", equalTo(TYPES + "location-not-allowed"));
        // a signed event that names no location at all (an agency-level event) is not ours either
        ObjectNode noLocation = JSON.createObjectNode()
                .put("type", "InboundMessage")
                .put("contactId", contact)
                .put("body", "hi " + marker)
                .put("webhookId", "wh-noloc-" + marker)
                .put("timestamp", Instant.now().toString());
        postSigned(noLocation.toString()).then().statusCode(403).body("type", equalTo(TYPES + "location-not-allowed"));

        assertEquals(0, rowsOf(pool, contact).size(), "no queue row for a foreign delivery");
        assertTrue(
                metrics()
                        .contains(
                                "switchboard_webhook_refused_total{provider=\"ghl\",reason=\"location-not-allowed\"}"),
                "refusals are counted by provider and reason");
    }

    @Test
    void everyListedLocationIsAcceptedAndAnsweredInItsOwnSession() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("l2");
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(textCompletion("Second location here"))));
        String webhookId = "wh-loc2-" + marker;
        String body = inboundMessage(webhookId, contact, "hello " + marker, Instant.now())
                .put("locationId", GhlWireMockResource.LOCATION_2)
                .put("appId", GhlWireMockResource.APP_ID)
                .toString();

        postSigned(body).then().statusCode(202).body("status", equalTo("queued"));

        await().atMost(WAIT)
                .until(() -> "completed".equals(rowOfEvent(pool, webhookId).getString("status")));
        assertEquals(
                "ghl:" + GhlWireMockResource.LOCATION_2 + ":" + contact,
                rowOfEvent(pool, webhookId).getString("langgraph_thread_id"));
    }

    @Test
    void deliveryNamingAnotherAppIsRefused() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("app");
        String body = inboundMessage("wh-app-" + marker, contact, "hi " + marker, Instant.now())
                .put("appId", "appOfSomeoneElse")
                .toString();

        postSigned(body)
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo(TYPES + "location-not-allowed"));
        assertEquals(0, rowsOf(pool, contact).size());
    }

    @Test
    void workflowDeliveryForAnotherLocationIsRefused() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("wf");
        ObjectNode body = JSON.createObjectNode().put("contact_id", contact).put("event_id", "wf-foreign-" + marker);
        body.putObject("location").put("id", FOREIGN_LOCATION);
        body.putObject("message").put("body", "hi " + marker);

        given().contentType("application/json")
                .header("X-Webhook-Secret", GhlWireMockResource.WORKFLOW_SECRET)
                .body(body.toString())
                .when()
                .post("/webhooks/ghl-workflow")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo(TYPES + "location-not-allowed"));
        assertEquals(0, rowsOf(pool, contact).size());
    }

    @Test
    void signedDeliveryWithoutTimestampIsRefusedLikeABadSignature() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("ts");
        ObjectNode event = inboundMessage("wh-nots-" + marker, contact, "hi " + marker, Instant.now());
        event.remove("timestamp");

        postSigned(event.toString())
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .body("type", equalTo(TYPES + "invalid-webhook-signature"))
                .body("detail", startsWith("timestamp is missing"));
        assertEquals(0, rowsOf(pool, contact).size());
    }

    @Test
    void bodyOverTheWebhookLimitIs413WithAndWithoutContentLength() throws Exception {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("big");
        // well under the service-wide MAX_BODY_SIZE (1M), over WEBHOOK_MAX_BODY_SIZE (256K)
        String big = inboundMessage("wh-big-" + marker, contact, "hi " + marker, Instant.now())
                .put("padding", "x".repeat(300 * 1024))
                .toString();

        postSigned(big)
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("type", equalTo(TYPES + "payload-too-large"))
                .body("status", equalTo(413));

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        // a body of unknown length: sent chunked, without Content-Length
        HttpRequest chunked = HttpRequest.newBuilder(ghlEndpoint)
                .header("Content-Type", "application/json")
                .header("x-ghl-signature", GhlWireMockResource.signEd25519(big))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            response = client.send(chunked, HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(PROBLEM, response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(
                TYPES + "payload-too-large",
                JSON.readTree(response.body()).path("type").asText());

        assertEquals(0, rowsOf(pool, contact).size());
        assertTrue(
                metrics().contains("switchboard_webhook_refused_total{provider=\"ghl\",reason=\"payload-too-large\"}"));
    }

    @Test
    void providersCheckDeliveriesOffTheEventLoop() {
        given().contentType("application/json")
                .body("{\"anything\":true}")
                .when()
                .post("/webhooks/" + TestWebhookProviders.ThreadProbe.NAME)
                .then()
                .statusCode(202)
                .body("status", equalTo("ignored"));

        assertNotNull(probe.onEventLoop(), "the probe saw the delivery");
        assertFalse(probe.onEventLoop(), "checked on " + probe.thread() + ", an event-loop thread");
    }

    @Test
    void switchedOffProviderAnswers404WithTheReason() {
        given().contentType("application/json")
                .body("{}")
                .when()
                .post("/webhooks/" + TestWebhookProviders.SwitchedOff.NAME)
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo(TYPES + "webhook-provider-not-found"))
                .body("detail", equalTo(TestWebhookProviders.SwitchedOff.REASON));
        assertTrue(metrics()
                .contains("switchboard_webhook_refused_total{provider=\"" + TestWebhookProviders.SwitchedOff.NAME
                        + "\",reason=\"webhook-provider-not-found\"}"));
    }
}
