package dev.switchboard.supervisor.peers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.rollout.RolloutClient;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A peer's 4xx is the caller's fault, never the peer's: whatever its body, it is a {@link PeerRejectedException}
 * that is neither retried nor counted by a circuit breaker, on every guarded call of the three peer clients; a
 * flood of refused turn appends leaves state-service's breaker closed and the next good turn goes through.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class PeerRejectionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectPeers
    WireMockServer peers;

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    StateClient state;

    @Inject
    AgentRegistryClient registry;

    @Inject
    PromptClient prompts;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    AgentCache cache;

    @Inject
    RolloutClient rollout;

    private static NewTurn turn() {
        return new NewTurn(
                UUID.randomUUID().toString(),
                List.of(new NewTurn.Message("user", "hi", null, null)),
                "general_assistant_agent",
                new Session.Routing("explicit", 1.0),
                "ok",
                null,
                Map.of());
    }

    private static ResponseDefinitionBuilder invalidText() {
        return PeersWireMockResource.problem(
                400,
                "invalid-text",
                "Text cannot be stored",
                "Field 'messages.[1].content' holds a character that cannot be stored (U+0000 at index 3)");
    }

    private static PeerRejectedException rejected(int status, Supplier<Object> call) {
        PeerRejectedException e = assertThrows(PeerRejectedException.class, call::get);
        assertEquals(status, e.status());
        return e;
    }

    private void assertClosed(String breaker) {
        assertEquals(CircuitBreakerState.CLOSED, breakers.currentState(breaker), breaker);
    }

    @Test
    void aHundredRefusedAppendsLeaveTheBreakerClosedAndTheNextGoodAppendGoesThrough() {
        String session = "s-refused-" + UUID.randomUUID();
        String path = "/sessions/" + session + "/turns";
        peers.stubFor(post(urlEqualTo(path)).willReturn(invalidText()));

        for (int i = 0; i < 100; i++) {
            PeerRejectedException e = rejected(
                    400, () -> state.appendTurn(session, 1, 7L, turn()).await().atMost(WAIT));
            assertEquals("https://switchboard.dev/problems/invalid-text", e.type());
        }

        assertClosed(StateClient.APPEND_TURN_BREAKER);
        assertEquals(
                100, peers.findAll(postRequestedFor(urlEqualTo(path))).size(), "each one reached state-service once");
        peers.stubFor(post(urlEqualTo(path))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"session\":{\"session_id\":\"" + session
                                + "\",\"version\":2},\"checkpoint_id\":\"c-ok\"}")));
        assertEquals(
                "c-ok",
                state.appendTurn(session, 1, 7L, turn()).await().atMost(WAIT).checkpointId());
    }

    @Test
    void aRejectionWithoutAProblemBodyIsStillTheCallersFault() {
        String session = "s-plain-4xx-" + UUID.randomUUID();
        String path = "/sessions/" + session + "/turns";
        List<ResponseDefinitionBuilder> answers = List.of(
                aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<h1>Bad Request</h1>"),
                aResponse().withStatus(413),
                aResponse()
                        .withStatus(422)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":42}"),
                aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{not json"));
        for (int round = 0; round < 5; round++) {
            for (ResponseDefinitionBuilder answer : answers) {
                peers.stubFor(post(urlEqualTo(path)).willReturn(answer));
                int status = answer.build().getStatus();
                PeerRejectedException e = rejected(
                        status,
                        () -> state.appendTurn(session, 1, null, turn()).await().atMost(WAIT));
                assertTrue(e.getMessage().contains(String.valueOf(status)), e.getMessage());
            }
        }
        assertClosed(StateClient.APPEND_TURN_BREAKER);
    }

    @Test
    void everyGuardedPeerCallLeavesItsBreakerClosedOnRejections() {
        String id = UUID.randomUUID().toString();
        record Case(String breaker, MappingBuilder stub, Supplier<Object> call) {}
        List<Case> cases = List.of(
                new Case(
                        "state-service:open-session",
                        post(urlEqualTo("/sessions")).withRequestBody(containing("s-open-" + id)),
                        () -> state.openSession("s-open-" + id, "u-1", null)
                                .await()
                                .atMost(WAIT)),
                new Case(
                        "state-service:find-session",
                        get(urlEqualTo("/sessions/s-find-" + id)),
                        () -> state.findSession("s-find-" + id).await().atMost(WAIT)),
                new Case(
                        "state-service:list-user-sessions",
                        get(urlEqualTo("/sessions/user/u-list-" + id)),
                        () -> state.listUserSessions("u-list-" + id).await().atMost(WAIT)),
                new Case(
                        "agent-registry:find-agent",
                        get(urlEqualTo("/agents/agent-" + id)),
                        () -> registry.findAgent("agent-" + id).await().atMost(WAIT)),
                new Case(
                        "agent-registry:change-status",
                        post(urlEqualTo("/agents/agent-" + id + "/status")),
                        () -> registry.changeStatus("agent-" + id, "sleepy")
                                .await()
                                .atMost(WAIT)),
                new Case(
                        "prompt-service:find-prompt",
                        get(urlPathEqualTo("/prompts/prompt-" + id)),
                        () -> prompts.findPrompt("prompt-" + id, "production")
                                .await()
                                .atMost(WAIT)));
        for (Case c : cases) {
            peers.stubFor(c.stub()
                    .atPriority(1)
                    .willReturn(PeersWireMockResource.problem(
                            400, "validation-failed", "Request validation failed", "no")));
            for (int i = 0; i < 20; i++) {
                rejected(400, c.call());
            }
            assertClosed(c.breaker());
        }
        assertEquals(
                20,
                peers.findAll(getRequestedFor(urlEqualTo("/sessions/s-find-" + id)))
                        .size(),
                "a rejected read is not retried");
    }

    @Test
    void aTurnStateServiceRefusesKeepsTheUsersMessageAndTheNextTurnSucceeds() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
        String id = UUID.randomUUID().toString();
        String session = "s-refused-chat-" + id;
        String path = "/sessions/" + session + "/turns";
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("An answer state-service will not take"))));
        // the full turn is refused; the record of the user's message is taken
        peers.stubFor(post(urlEqualTo(path))
                .atPriority(2)
                .withRequestBody(matchingJsonPath("$.outcome", WireMock.equalTo("ok")))
                .willReturn(invalidText()));
        peers.stubFor(post(urlEqualTo(path))
                .atPriority(3)
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"session\":{\"session_id\":\"" + session
                                + "\",\"version\":2},\"checkpoint_id\":\"c-e\"}")));

        for (int i = 0; i < 10; i++) {
            // a user each: the per-user rate limit of the tests is 5 a minute
            given().contentType(ContentType.JSON)
                    .body(Map.of(
                            "message",
                            "keep me " + i + " " + id,
                            "session_id",
                            session,
                            "user_id",
                            "u-" + i + "-" + id,
                            "agent",
                            "general_assistant_agent"))
                    .post("/chat")
                    .then()
                    .statusCode(500)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://switchboard.dev/problems/turn-not-stored"));
        }

        List<LoggedRequest> appends = peers.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(20, appends.size(), "each turn: the refused append, then the record of the user's message");
        JsonNode kept = JSON.readTree(appends.get(1).getBodyAsString());
        assertEquals("error", kept.path("outcome").asText());
        assertEquals(1, kept.path("messages").size());
        assertEquals(
                "keep me 0 " + id, kept.path("messages").get(0).path("content").asText());
        assertTrue(
                kept.path("error").asText().contains("invalid-text"),
                kept.path("error").asText());
        assertClosed(StateClient.APPEND_TURN_BREAKER);

        peers.stubFor(post(urlEqualTo(path))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"session\":{\"session_id\":\"" + session
                                + "\",\"version\":3},\"checkpoint_id\":\"c-ok\"}")));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "message",
                        "and now " + id,
                        "session_id",
                        session,
                        "user_id",
                        "u-next-" + id,
                        "agent",
                        "general_assistant_agent"))
                .post("/chat")
                .then()
                .statusCode(200)
                .body("checkpoint_id", equalTo("c-ok"));
    }

    @Test
    void notFoundAnswersOfEveryPeerAreRejectionsToo() {
        String id = UUID.randomUUID().toString();
        assertInstanceOf(
                PeerRejectedException.class,
                assertThrows(
                        RuntimeException.class,
                        () -> registry.findAgent("missing-" + id).await().atMost(WAIT)));
        assertInstanceOf(
                PeerRejectedException.class,
                assertThrows(
                        RuntimeException.class,
                        () -> prompts.findPrompt("missing-" + id, "production")
                                .await()
                                .atMost(WAIT)));
        assertInstanceOf(
                PeerRejectedException.class,
                assertThrows(
                        RuntimeException.class,
                        () -> state.findSession("missing-" + id).await().atMost(WAIT)));
        assertClosed("agent-registry:find-agent");
        assertClosed("prompt-service:find-prompt");
        assertClosed("state-service:find-session");
    }

    @Test
    void aRefusedRollbackIsNotRetried() {
        String agent = "agent-rollback-" + UUID.randomUUID();
        String path = "/agents/" + agent + "/rollback";
        peers.stubFor(post(urlEqualTo(path))
                .willReturn(PeersWireMockResource.problem(404, "agent-not-found", "Agent not found", "no such agent")));

        assertThrows(
                RuntimeException.class,
                () -> rollout.rollback(agent, "1.1.0", "error_rate").await().atMost(WAIT));

        assertEquals(1, peers.findAll(postRequestedFor(urlEqualTo(path))).size(), "a 4xx is not retried");
    }
}
