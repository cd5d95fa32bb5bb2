package dev.switchboard.supervisor.crm.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.JSON;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.WAIT;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.ghlId;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.inboundMessage;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.postSigned;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.rowOfEvent;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.text.StorableText;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.GhlWireMockResource;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A CRM cannot be told to resend a message without U+0000: an authentic webhook whose text PostgreSQL cannot store
 * (U+0000, lone surrogates, bytes that are not UTF-8) is accepted, queued with U+FFFD in place of each such
 * character, answered, and its turn stored the same way.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = GhlWireMockResource.class, restrictToAnnotatedClass = false)
class WebhookTextTest {

    private static final String FFFD = "\uFFFD";

    @InjectWireMock
    WireMockServer openAi;

    @InjectPeers
    WireMockServer peers;

    @Inject
    AgentCache cache;

    @Inject
    Pool pool;

    @BeforeEach
    void waitForAgentCache() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    private void llmAnswers(String marker, String reply) {
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(textCompletion(reply))));
    }

    /** The user message of the contact's turn as sent to state-service. */
    private String storedUserMessage(String contact) throws Exception {
        String session = "ghl:" + GhlWireMockResource.LOCATION + ":" + contact;
        List<LoggedRequest> appends =
                peers.findAll(postRequestedFor(urlPathMatching("/sessions/[^/]*" + contact + "/turns")));
        assertEquals(1, appends.size(), "one turn of session " + session);
        JsonNode turn = JSON.readTree(appends.get(0).getBodyAsString());
        assertNull(StorableText.findUnstorable(turn), "the turn is storable");
        assertEquals("ok", turn.path("outcome").asText());
        return turn.path("messages").get(0).path("content").asText();
    }

    @Test
    void signedInboundMessageWithUnstorableTextIsQueuedAnsweredAndStoredWithReplacements() throws Exception {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("t");
        String webhookId = "wh-text-" + marker;
        llmAnswers(marker, "Sure, we can help.");
        // JSON escapes on the wire, as a CRM relays them; the signature covers these exact bytes
        String body = inboundMessage(webhookId, contact, "Hi NUL there SURROGATE " + marker, Instant.now())
                .toString()
                .replace("NUL", "\\u0000")
                .replace("SURROGATE", "\\udc00");

        postSigned(body).then().statusCode(202).body("status", equalTo("queued"));

        await().atMost(WAIT)
                .until(() -> "completed".equals(rowOfEvent(pool, webhookId).getString("status")));
        Row row = rowOfEvent(pool, webhookId);
        String expected = "Hi " + FFFD + " there " + FFFD + " " + marker;
        assertEquals(expected, row.getString("message"));
        assertEquals(expected, row.getJsonObject("payload").getString("body"));
        assertEquals("Sure, we can help.", row.getString("reply"));
        assertEquals(expected, storedUserMessage(contact));
    }

    @Test
    void workflowWebhookWithUnstorableTextAndBytesThatAreNotUtf8IsAccepted() throws Exception {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("u");
        String eventId = "wf-text-" + marker;
        llmAnswers(marker, "Workflow reply");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(("{\"contact_id\":\"" + contact + "\",\"event_id\":\"" + eventId + "\",\"location\":{\"id\":\""
                        + GhlWireMockResource.LOCATION + "\"},\"message\":{\"channel\":\"SMS\",\"body\":\"caf")
                .getBytes(StandardCharsets.UTF_8));
        raw.write(0xE9); // Latin-1 é: not UTF-8
        raw.writeBytes((" \\u0000 " + marker + "\"}}").getBytes(StandardCharsets.UTF_8));

        given().contentType("application/json")
                .header("X-Webhook-Secret", GhlWireMockResource.WORKFLOW_SECRET)
                .body(raw.toByteArray())
                .when()
                .post("/webhooks/ghl-workflow")
                .then()
                .statusCode(202)
                .body("status", equalTo("queued"));

        await().atMost(WAIT)
                .until(() -> "completed".equals(rowOfEvent(pool, eventId).getString("status")));
        String expected = "caf" + FFFD + " " + FFFD + " " + marker;
        assertEquals(expected, rowOfEvent(pool, eventId).getString("message"));
        assertEquals(expected, storedUserMessage(contact));
        List<LoggedRequest> replies = GhlWireMockResource.server()
                .findAll(postRequestedFor(urlPathEqualTo("/conversations/messages"))
                        .withRequestBody(matchingJsonPath("$.contactId", WireMock.equalTo(contact))));
        assertEquals(1, replies.size());
        assertFalse(replies.get(0).getBodyAsString().isBlank());
        assertTrue(JSON.readTree(replies.get(0).getBodyAsString())
                .path("message")
                .asText()
                .startsWith("Workflow"));
    }
}
