package dev.switchboard.supervisor.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.GhlWireMockResource;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A CRM contact's session ({@code ghl:<location>:<contact>}) belongs to its webhook provider: no client, user or
 * admin, writes it through {@code /chat} or A2A (403 {@code reserved-session-id}, nothing stored), only an admin
 * reads it, and the webhook queue still runs the contact's turns in it.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = GhlWireMockResource.class, restrictToAnnotatedClass = false)
class ReservedSessionIdTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String RESERVED = "https://switchboard.dev/problems/reserved-session-id";

    @InjectPeers
    WireMockServer peers;

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    Pool pool;

    @BeforeEach
    void synced() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    private static String contactId() {
        return "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static io.restassured.response.Response chat(String key, String session, String message) {
        return given().header("Authorization", TestCredentials.bearer(key))
                .contentType(ContentType.JSON)
                .body(Map.of("message", message, "session_id", session))
                .post("/chat");
    }

    @Test
    void noClientWritesAContactSessionAndTheWebhookStillDoes() {
        String marker = UUID.randomUUID().toString();
        String contact = contactId();
        String session = "ghl:" + GhlWireMockResource.LOCATION + ":" + contact;

        // a user hijacking the contact's conversation (and its calendar bookings)
        chat(TestCredentials.USER_KEY, session, "cancel my appointment " + marker)
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo(RESERVED))
                .body("status", equalTo(403));
        // an admin too: only the webhook path writes these sessions
        chat(TestCredentials.ADMIN_KEY, session, "hello " + marker)
                .then()
                .statusCode(403)
                .body("type", equalTo(RESERVED));
        chat(TestCredentials.USER_KEY, "GHL:" + GhlWireMockResource.LOCATION + ":" + contact, "hi " + marker)
                .then()
                .statusCode(403)
                .body("type", equalTo(RESERVED));
        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .contentType(ContentType.JSON)
                .body("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":{\"message\":{"
                        + "\"role\":\"user\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi " + marker + "\"}],"
                        + "\"messageId\":\"m-" + marker + "\",\"contextId\":\"" + session + "\"}}}")
                .post("/a2a")
                .then()
                .statusCode(200)
                .body("error.data.type", equalTo(RESERVED))
                .body("error.data.status", equalTo(403));

        assertEquals(
                0,
                peers.findAll(anyRequestedFor(urlPathMatching("/sessions.*" + contact + ".*")))
                        .size());
        assertEquals(
                0,
                peers.findAll(postRequestedFor(urlPathEqualTo("/sessions")).withRequestBody(containing(contact)))
                        .size(),
                "no session opened for the contact");
        assertEquals(
                0,
                openAi.findAll(postRequestedFor(urlPathEqualTo(CHAT_COMPLETIONS))
                                .withRequestBody(containing(marker)))
                        .size(),
                "no turn ran");

        // the contact's own message, delivered by GoHighLevel, runs in that session as before
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing("webhook " + marker))
                .willReturn(okJson(textCompletion("Your appointment stands"))));
        String webhookId = "wh-reserved-" + marker;
        String body = "{\"type\":\"InboundMessage\",\"locationId\":\"" + GhlWireMockResource.LOCATION
                + "\",\"contactId\":\"" + contact + "\",\"body\":\"webhook " + marker
                + "\",\"messageType\":\"SMS\",\"direction\":\"inbound\",\"webhookId\":\"" + webhookId
                + "\",\"timestamp\":\"" + Instant.now() + "\"}";
        given().contentType(ContentType.JSON)
                .header("x-ghl-signature", GhlWireMockResource.signEd25519(body))
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/webhooks/ghl")
                .then()
                .statusCode(202)
                .body("status", equalTo("queued"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(rowStatus(webhookId)));
        assertEquals(
                1,
                peers.findAll(postRequestedFor(urlPathMatching("/sessions/[^/]*" + contact + "/turns")))
                        .size(),
                "the webhook turn was stored in the contact's session");
    }

    private String rowStatus(String eventId) {
        var rows = pool.preparedQuery("SELECT status FROM supervisor.message_queue WHERE event_id = $1")
                .execute(Tuple.of(eventId))
                .await()
                .atMost(Duration.ofSeconds(20));
        return rows.size() == 0 ? null : rows.iterator().next().getString("status");
    }

    @Test
    void onlyAnAdminReadsAContactSession() {
        // a user whose name is also a contact id would own the contact's session in state-service
        String contact = contactId();
        String session = "ghl:" + GhlWireMockResource.LOCATION + ":" + contact;
        String own = "s-" + UUID.randomUUID();
        StubMapping read = peers.stubFor(get(urlPathMatching("/sessions/[^/]*" + contact))
                .willReturn(okJson("{\"session_id\":\"" + session + "\",\"user_id\":\"" + TestCredentials.USER
                        + "\",\"version\":1,\"messages\":[],\"turns\":[],\"state\":{},\"metadata\":{}}")));
        StubMapping list = peers.stubFor(get(urlPathEqualTo("/sessions/user/" + TestCredentials.USER))
                .atPriority(1)
                .willReturn(okJson("{\"user_id\":\"" + TestCredentials.USER + "\",\"sessions\":["
                        + "{\"session_id\":\"" + session + "\",\"version\":1,\"updated_at\":\"2026-11-21T12:00:00Z\","
                        + "\"message_count\":2},{\"session_id\":\"" + own + "\",\"version\":1,"
                        + "\"updated_at\":\"2026-11-21T12:00:00Z\",\"message_count\":2}]}")));
        try {
            given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                    .get("/sessions/" + session)
                    .then()
                    .statusCode(403)
                    .contentType(PROBLEM)
                    .body("type", equalTo(RESERVED));
            given().header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                    .get("/sessions/" + session)
                    .then()
                    .statusCode(200)
                    .body("session_id", equalTo(session));

            given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                    .get("/sessions/user/" + TestCredentials.USER)
                    .then()
                    .statusCode(200)
                    .body("sessions.session_id", contains(own));
            given().header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                    .get("/sessions/user/" + TestCredentials.USER)
                    .then()
                    .statusCode(200)
                    .body("sessions.session_id", containsInAnyOrder(session, own));
        } finally {
            peers.removeStub(read);
            peers.removeStub(list);
        }
    }
}
