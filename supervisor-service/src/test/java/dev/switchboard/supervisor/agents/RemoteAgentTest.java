package dev.switchboard.supervisor.agents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kind: remote} agents through {@code POST /chat}: the HTTP JSON contract (message, session id, history, state
 * → reply, state patch), failed turns saved, one circuit breaker per agent (3 failures open it), listed at
 * {@code GET /api/v1/system/circuit-breakers}. The remote agents are WireMock stubs on the peers' server.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class RemoteAgentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectPeers
    WireMockServer peers;

    @Inject
    AgentCache cache;

    @BeforeEach
    void waitForAgentCache() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    private String remoteAgent(String name) {
        return PeersWireMockResource.stubRemoteAgent(peers, name);
    }

    private static Map<String, Object> chat(String name, String session, String message) {
        return Map.of("message", message, "session_id", session, "user_id", "u-" + session, "agent", name);
    }

    @Test
    void anUnhealthyAgentIsNotRoutedTo() {
        String name = "remote_sick_" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode agent = PeersWireMockResource.agent(
                name, "Missed its heartbeats", null, "unhealthy", false, List.of("remote"), List.of("x"));
        agent.put("kind", "remote").put("endpoint", peers.baseUrl() + "/remote/" + name);
        peers.stubFor(get(urlPathEqualTo("/agents/" + name)).willReturn(okJson(agent.toString())));
        given().contentType(ContentType.JSON)
                .body(chat(name, "s-" + name, "hello"))
                .post("/chat")
                .then()
                .statusCode(409)
                .body("type", equalTo("https://switchboard.dev/problems/agent-unavailable"));
        assertEquals(
                0,
                peers.findAll(postRequestedFor(urlEqualTo("/remote/" + name))).size());
    }

    @Test
    void sendsTheContractAndAppliesTheStatePatch() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "remote_ok_" + id;
        String session = "s-remote-" + id;
        String path = remoteAgent(name);
        // the session exists with some state
        peers.stubFor(post(urlPathEqualTo("/sessions"))
                .atPriority(1)
                .withRequestBody(matchingJsonPath(
                        "$.session_id", com.github.tomakehurst.wiremock.client.WireMock.equalTo(session)))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"session_id\":\"" + session + "\",\"version\":3,\"messages\":["
                                + "{\"role\":\"user\",\"content\":\"earlier question\"},"
                                + "{\"role\":\"assistant\",\"content\":\"earlier answer\"}],"
                                + "\"turns\":[],\"state\":{\"lang\":\"en\"},\"metadata\":{}}")));
        peers.stubFor(post(urlEqualTo(path))
                .willReturn(okJson("{\"reply\":\"Invoice 42 is paid\",\"state_patch\":{\"last_invoice\":\"42\"}}")));

        given().contentType(ContentType.JSON)
                .body(chat(name, session, "where is invoice 42?"))
                .post("/chat")
                .then()
                .statusCode(200)
                .body("response", equalTo("Invoice 42 is paid"))
                .body("agent", equalTo(name));

        peers.verify(postRequestedFor(urlEqualTo(path)).withRequestBody(equalToJson("""
                {"message":"where is invoice 42?","session_id":"%s","user_id":"u-%s",
                 "history":[{"role":"user","content":"earlier question"},{"role":"assistant","content":"earlier answer"}],
                 "state":{"lang":"en"}}""".formatted(session, session))));
        LoggedRequest append = peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")))
                .get(0);
        JsonNode turn = JSON.readTree(append.getBodyAsString());
        assertEquals("ok", turn.path("outcome").asText());
        assertEquals("42", turn.path("state_patch").path("last_invoice").asText());
        assertEquals("remote", turn.path("metadata").path("agent_kind").asText());
    }

    @Test
    void aFailingAgentSavesTheFailedTurnAndOpensOnlyItsOwnBreakerAfterThreeFailures() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String failing = "remote_bad_" + id;
        String healthy = "remote_good_" + id;
        String failingPath = remoteAgent(failing);
        String healthyPath = remoteAgent(healthy);
        peers.stubFor(post(urlEqualTo(failingPath))
                .willReturn(aResponse().withStatus(500).withBody("boom")));
        peers.stubFor(post(urlEqualTo(healthyPath)).willReturn(okJson("{\"reply\":\"fine\"}")));

        for (int i = 0; i < 3; i++) {
            String session = "s-bad-" + id + "-" + i;
            given().contentType(ContentType.JSON)
                    .body(chat(failing, session, "message " + i))
                    .post("/chat")
                    .then()
                    .statusCode(502)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://switchboard.dev/problems/agent-failed"));
            // the user's message is never lost: the failed turn was saved
            LoggedRequest append = peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")))
                    .get(0);
            JsonNode turn = JSON.readTree(append.getBodyAsString());
            assertEquals("error", turn.path("outcome").asText());
            assertEquals(
                    "message " + i, turn.path("messages").get(0).path("content").asText());
        }
        // a 500 is not retried (a turn is not idempotent): one request per chat
        assertEquals(3, peers.findAll(postRequestedFor(urlEqualTo(failingPath))).size());

        // the breaker is open: the agent is not called, the client still gets a problem and the turn is saved
        String session = "s-bad-" + id + "-open";
        given().contentType(ContentType.JSON)
                .body(chat(failing, session, "while open"))
                .post("/chat")
                .then()
                .statusCode(502)
                .body("detail", equalTo("Agent '" + failing + "' is temporarily unavailable; please retry later"));
        assertEquals(3, peers.findAll(postRequestedFor(urlEqualTo(failingPath))).size());
        assertEquals(
                1,
                peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")))
                        .size());

        // another agent's breaker is unaffected
        given().contentType(ContentType.JSON)
                .body(chat(healthy, "s-good-" + id, "hello"))
                .post("/chat")
                .then()
                .statusCode(200)
                .body("response", equalTo("fine"));

        given().get("/api/v1/system/circuit-breakers")
                .then()
                .statusCode(200)
                .body("circuit_breakers.find { it.agent == '" + failing + "' }.state", equalTo("open"))
                .body("circuit_breakers.find { it.agent == '" + failing + "' }.failure_threshold", equalTo(3))
                .body("circuit_breakers.find { it.agent == '" + failing + "' }.failures", equalTo(3))
                .body("circuit_breakers.find { it.agent == '" + failing + "' }.rejected", equalTo(1))
                .body("circuit_breakers.find { it.agent == '" + healthy + "' }.state", equalTo("closed"));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString(
                        "switchboard_agent_circuit_breaker_state{agent=\"" + failing + "\",version=\"1.0.0\"} 2.0"));

        // after the open delay (test configuration: 5 s) one trial call goes through; success closes the breaker
        peers.stubFor(post(urlEqualTo(failingPath)).willReturn(okJson("{\"reply\":\"recovered\"}")));
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().contentType(ContentType.JSON)
                                .body(chat(failing, "s-bad-" + id + "-" + UUID.randomUUID(), "again"))
                                .post("/chat")
                                .statusCode()
                        == 200);
        given().get("/api/v1/system/circuit-breakers")
                .then()
                .statusCode(200)
                .body("circuit_breakers.find { it.agent == '" + failing + "' }.state", equalTo("closed"));
        assertTrue(peers.findAll(postRequestedFor(urlEqualTo(failingPath))).size() >= 4);
    }
}
