package dev.switchboard.supervisor.crm.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.GhlWireMockResource;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /webhooks/ghl} and {@code /webhooks/ghl-workflow} end to end: real signature checks (test key pairs),
 * real PostgreSQL queue and Redis wake-ups, the real worker and chat path, the fake LLM and the fake GHL API.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = GhlWireMockResource.class, restrictToAnnotatedClass = false)
class GhlWebhookTest {

    private static final String PROBLEM = "application/problem+json";

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    Pool pool;

    @Inject
    WebhookMetrics metrics;

    WireMockServer ghl;

    @BeforeEach
    void setUp() {
        ghl = GhlWireMockResource.server();
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    private void llmAnswers(String marker, String reply) {
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(textCompletion(reply))));
    }

    private List<LoggedRequest> repliesTo(String contactId) {
        return ghl.findAll(postRequestedFor(urlPathEqualTo("/conversations/messages"))
                .withRequestBody(matchingJsonPath(
                        "$.contactId", com.github.tomakehurst.wiremock.client.WireMock.equalTo(contactId))));
    }

    @Test
    void signedInboundMessageIsAnsweredThroughTheConversationsApi() throws Exception {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("c");
        String webhookId = "wh-" + marker;
        llmAnswers(marker, "Hi! We are open 9 to 5.");
        String body = inboundMessage(webhookId, contact, "Hello, when are you open? " + marker, Instant.now())
                .toString();

        postSigned(body)
                .then()
                .statusCode(202)
                .body("status", equalTo("queued"))
                .body("event_id", equalTo(webhookId));

        await().atMost(WAIT)
                .until(() -> "completed".equals(rowOfEvent(pool, webhookId).getString("status")));
        List<LoggedRequest> replies = repliesTo(contact);
        assertEquals(1, replies.size());
        LoggedRequest reply = replies.get(0);
        assertEquals("Bearer " + GhlWireMockResource.TOKEN, reply.getHeader("Authorization"));
        assertEquals("2021-04-15", reply.getHeader("Version"));
        JsonNode sent = JSON.readTree(reply.getBodyAsString());
        assertEquals("SMS", sent.get("type").asText());
        assertEquals("Hi! We are open 9 to 5.", sent.get("message").asText());
        Row row = rowOfEvent(pool, webhookId);
        assertEquals("ghl:" + GhlWireMockResource.LOCATION + ":" + contact, row.getString("langgraph_thread_id"));
        assertEquals("ghl", row.getString("provider"));
        assertEquals("Hi! We are open 9 to 5.", row.getString("reply"));
        assertTrue(row.getString("outbound_message_id").startsWith("msg-"));
        assertNotNull(row.getString("processed_by_agent"));
        assertNotNull(row.getString("langgraph_run_id"));
        assertEquals(1, row.getInteger("attempts"));
        assertNotNull(row.getJsonObject("workflow_state").getString("checkpoint_id"));
        assertNull(row.getUUID("claim_token"));
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(
                metrics.contains(
                        "switchboard_webhook_events_total{outcome=\"queued\",provider=\"ghl\",type=\"InboundMessage\"}"),
                "webhook event counter");
        assertTrue(
                metrics.contains("switchboard_webhook_turns_total{agent=\"" + row.getString("processed_by_agent")
                        + "\",outcome=\"completed\"}"),
                "turn counter");
        assertTrue(metrics.contains("switchboard_webhook_queue_depth{status=\"pending\"}"), "depth gauge");
    }

    @Test
    void legacyRsaSignatureIsAcceptedWhenNoEd25519HeaderIsSent() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("c");
        llmAnswers(marker, "Legacy hello");
        String body = inboundMessage("wh-" + marker, contact, "hi " + marker, Instant.now())
                .toString();

        given().contentType("application/json")
                .header("x-wh-signature", GhlWireMockResource.signRsa(body))
                .body(body)
                .when()
                .post("/webhooks/ghl")
                .then()
                .statusCode(202)
                .body("status", equalTo("queued"));

        await().atMost(WAIT).until(() -> repliesTo(contact).size() == 1);
    }

    @Test
    void badSignatureStaleTimestampAndReplayedWebhookIdChangeNothing() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("c");
        llmAnswers(marker, "Only once");
        String webhookId = "wh-" + marker;
        String body = inboundMessage(webhookId, contact, "hello " + marker, Instant.now())
                .toString();
        String tampered = body.replace("hello", "HELLO");

        // signature of another body
        Response bad = given().contentType("application/json")
                .header("x-ghl-signature", GhlWireMockResource.signEd25519(body))
                .body(tampered)
                .when()
                .post("/webhooks/ghl");
        bad.then()
                .statusCode(401)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/invalid-webhook-signature"));
        // a valid legacy signature does not rescue a wrong Ed25519 one: the Ed25519 header alone decides
        given().contentType("application/json")
                .header("x-ghl-signature", GhlWireMockResource.signEd25519(tampered))
                .header("x-wh-signature", GhlWireMockResource.signRsa(body))
                .body(body)
                .when()
                .post("/webhooks/ghl")
                .then()
                .statusCode(401);
        // no signature at all
        given().contentType("application/json")
                .body(body)
                .when()
                .post("/webhooks/ghl")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .body("detail", startsWith("Missing"));
        // correctly signed but 6 minutes old
        String staleId = "wh-stale-" + marker;
        String stale = inboundMessage(
                        staleId, contact, "old " + marker, Instant.now().minusSeconds(360))
                .toString();
        postSigned(stale).then().statusCode(401).body("detail", startsWith("timestamp is outside"));
        assertEquals(0, rowsOf(pool, contact).size(), "nothing stored for refused deliveries");

        // the genuine delivery, then GHL's retry of it
        postSigned(body).then().statusCode(202).body("status", equalTo("queued"));
        postSigned(body).then().statusCode(200).body("status", equalTo("duplicate"));
        await().atMost(WAIT)
                .until(() -> "completed".equals(rowOfEvent(pool, webhookId).getString("status")));
        postSigned(body).then().statusCode(200).body("status", equalTo("duplicate"));

        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> repliesTo(contact).size() == 1);
        assertEquals(1, rowsOf(pool, contact).size());
        assertNull(rowOfEvent(pool, staleId));
    }

    @Test
    void eventTypesAreQueuedRecordedOrIgnored() {
        String contact = ghlId("c");
        String marker = UUID.randomUUID().toString();
        // ContactCreate: recorded, never processed
        postSigned(WebhookFixtures.contactCreate("wh-cc-" + marker, contact).toString())
                .then()
                .statusCode(202)
                .body("status", equalTo("recorded"));
        // a voicemail: InboundMessage without body → recorded
        String voicemail = inboundMessage("wh-vm-" + marker, contact, null, Instant.now())
                .put("messageType", "Voicemail")
                .toString();
        postSigned(voicemail).then().statusCode(202).body("status", equalTo("recorded"));
        // unknown type: acknowledged, not stored
        ObjectNode unknown = JSON.createObjectNode()
                .put("type", "OpportunityStageUpdate")
                .put("id", "opp1")
                .put("locationId", GhlWireMockResource.LOCATION)
                .put("webhookId", "wh-unknown-" + marker)
                .put("timestamp", Instant.now().toString());
        postSigned(unknown.toString()).then().statusCode(202).body("status", equalTo("ignored"));
        // a message a person sent from GHL: recorded; one we sent ourselves (known outbound id): ignored (loop guard)
        postSigned(WebhookFixtures.outboundMessage("wh-out-" + marker, contact, "human-" + marker)
                        .toString())
                .then()
                .statusCode(202)
                .body("status", equalTo("recorded"));
        String ours = "ours-" + marker;
        pool.preparedQuery(
                        "INSERT INTO supervisor.message_queue (provider, event_id, event_type, status, contact_id,"
                                + " payload, outbound_message_id) VALUES ('ghl', $1, 'InboundMessage', 'completed', $2, '{}', $3)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of("seed-" + marker, contact, ours))
                .await()
                .atMost(WAIT);
        postSigned(WebhookFixtures.outboundMessage("wh-echo-" + marker, contact, ours)
                        .toString())
                .then()
                .statusCode(202)
                .body("status", equalTo("ignored"));

        assertNull(rowOfEvent(pool, "wh-unknown-" + marker));
        assertNull(rowOfEvent(pool, "wh-echo-" + marker));
        assertEquals("recorded", rowOfEvent(pool, "wh-cc-" + marker).getString("status"));
        assertEquals("recorded", rowOfEvent(pool, "wh-vm-" + marker).getString("status"));
        assertEquals("recorded", rowOfEvent(pool, "wh-out-" + marker).getString("status"));
        assertEquals(0, repliesTo(contact).size());
    }

    @Test
    void malformedBodyAndUnknownProviderAreProblems() {
        String notJson = "this is not json";
        postSigned(notJson)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/malformed-webhook"));
        given().contentType("application/json")
                .body("{}")
                .when()
                .post("/webhooks/twilio")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/webhook-provider-not-found"));
    }

    @Test
    void hundredConcurrentWebhooksWithTwentyDuplicatesGiveExactlyEightyReplies() throws Exception {
        String marker = UUID.randomUUID().toString();
        llmAnswers(marker, "Thanks, noted " + marker);
        List<String> contacts = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String contact = ghlId("k" + i + "x");
            contacts.add(contact);
            bodies.add(inboundMessage("wh-" + marker + "-" + i, contact, "message " + i + " " + marker, Instant.now())
                    .toString());
        }
        for (int i = 0; i < 20; i++) {
            bodies.add(bodies.get(i * 3)); // GHL redelivering 20 of them
        }
        Collections.shuffle(bodies);
        ExecutorService senders = Executors.newFixedThreadPool(50);
        List<Callable<Integer>> posts = new ArrayList<>();
        for (String body : bodies) {
            // like GHL: deliver again on 429 only, until the delivery is answered otherwise (bounded)
            posts.add(() -> await().pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200))
                    .atMost(WAIT)
                    .until(() -> postSigned(body).statusCode(), status -> status != 429));
        }
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : senders.invokeAll(posts)) {
                statuses.add(f.get());
            }
        } finally {
            senders.shutdownNow();
        }
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 202), statuses.toString());

        await().atMost(Duration.ofSeconds(60)).until(() -> countCompleted(marker) == 80);
        List<LoggedRequest> replies = ghl.findAll(
                postRequestedFor(urlPathEqualTo("/conversations/messages")).withRequestBody(containing(marker)));
        assertEquals(80, replies.size());
        assertEquals(
                80,
                replies.stream()
                        .map(r -> {
                            try {
                                return JSON.readTree(r.getBodyAsString())
                                        .get("contactId")
                                        .asText();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })
                        .distinct()
                        .filter(contacts::contains)
                        .count(),
                "one reply per contact");
        assertEquals(
                80L,
                pool.preparedQuery("SELECT count(*) AS n FROM supervisor.message_queue WHERE event_id LIKE $1")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of("wh-" + marker + "-%"))
                        .await()
                        .atMost(WAIT)
                        .iterator()
                        .next()
                        .getLong("n"));
    }

    private long countCompleted(String marker) {
        return pool.preparedQuery("SELECT count(*) AS n FROM supervisor.message_queue WHERE event_id LIKE $1"
                        + " AND status = 'completed'")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of("wh-" + marker + "-%"))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong("n");
    }

    @Test
    void workflowWebhookNeedsTheSharedSecretAndIsAnswered() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("w");
        llmAnswers(marker, "Workflow reply");
        ObjectNode body = JSON.createObjectNode()
                .put("contact_id", contact)
                .put("first_name", "Ada")
                .put("last_name", "Lovelace")
                .put("full_name", "Ada Lovelace")
                .put("email", "ada@example.com")
                .put("phone", "+15551234567")
                .put("event_id", "wf-" + marker);
        body.putObject("location").put("id", GhlWireMockResource.LOCATION).put("name", "Demo Co");
        body.putObject("message").put("body", "Can I book a call? " + marker).put("channel", "SMS");

        given().contentType("application/json")
                .header("X-Webhook-Secret", "wrong")
                .body(body.toString())
                .when()
                .post("/webhooks/ghl-workflow")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        given().contentType("application/json")
                .body(body.toString())
                .when()
                .post("/webhooks/ghl-workflow")
                .then()
                .statusCode(401);
        assertEquals(0, rowsOf(pool, contact).size());

        given().contentType("application/json")
                .header("X-Webhook-Secret", GhlWireMockResource.WORKFLOW_SECRET)
                .body(body.toString())
                .when()
                .post("/webhooks/ghl-workflow")
                .then()
                .statusCode(202)
                .body("status", equalTo("queued"));

        await().atMost(WAIT).until(() -> repliesTo(contact).size() == 1);
        Row row = rowsOf(pool, contact).get(0);
        assertEquals("ghl-workflow", row.getString("provider"));
        assertEquals("ghl:" + GhlWireMockResource.LOCATION + ":" + contact, row.getString("langgraph_thread_id"));
    }

    @Test
    void fullQueueAnswers429WithRetryAfterAndStoresNothing() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("bp");
        boolean throttled = false;
        // the poll refreshes the depth gauge every second: set it and post at once (a few tries at most)
        for (int i = 0; i < 5 && !throttled; i++) {
            metrics.depth(java.util.Map.of("pending", 1_000_000L));
            Response response =
                    postSigned(inboundMessage("wh-bp-" + i + "-" + marker, contact, "hi " + marker, Instant.now())
                            .toString());
            if (response.statusCode() == 429) {
                throttled = true;
                response.then()
                        .contentType(PROBLEM)
                        .header("Retry-After", "30")
                        .body("type", equalTo("https://switchboard.dev/problems/webhook-backpressure"));
                assertNull(rowOfEvent(pool, "wh-bp-" + i + "-" + marker), "nothing stored when throttled");
            }
        }
        metrics.depth(java.util.Map.of()); // back to the real depth at once, not at the next poll
        assertTrue(throttled, "a full queue answers 429");
    }
}
