package dev.switchboard.supervisor.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /chat} end to end: fake peers and fake OpenAI over HTTP, real Redis, real router. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class ChatResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";

    @InjectPeers
    WireMockServer peers;

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @BeforeEach
    void waitForAgentCache() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    @Test
    void answersThroughExplicitAgentAndSavesTheTurn() throws Exception {
        String id = UUID.randomUUID().toString();
        String session = "s-" + id;
        String user = "u-" + id;
        String message = "Hello there, just saying hi " + id;
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Hi! How can I help you today?"))));

        Response response = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "message", message, "session_id", session, "user_id", user, "agent", "general_assistant_agent"))
                .post("/chat")
                .then()
                .statusCode(200)
                .body("session_id", equalTo(session))
                .body("response", equalTo("Hi! How can I help you today?"))
                .body("agent", equalTo("general_assistant_agent"))
                .body("routing.method", equalTo("explicit"))
                .body("routing.score", equalTo(1.0f))
                .body("checkpoint_id", startsWith("c-"))
                .body("turn_id", notNullValue())
                .extract()
                .response();
        String turnId = response.path("turn_id");

        peers.verify(postRequestedFor(urlEqualTo("/sessions"))
                .withRequestBody(matchingJsonPath("$.session_id", WireMock.equalTo(session)))
                .withRequestBody(matchingJsonPath("$.user_id", WireMock.equalTo(user))));
        List<LoggedRequest> appends = peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")));
        assertEquals(1, appends.size());
        LoggedRequest append = appends.get(0);
        assertEquals("\"1\"", append.getHeader("If-Match"), "If-Match carries the version loaded");
        JsonNode turn = JSON.readTree(append.getBodyAsString());
        assertEquals(turnId, turn.path("turn_id").asText());
        assertEquals("general_assistant_agent", turn.path("agent").asText());
        assertEquals("ok", turn.path("outcome").asText());
        assertEquals("explicit", turn.path("routing").path("method").asText());
        assertEquals(2, turn.path("messages").size());
        assertEquals("user", turn.path("messages").get(0).path("role").asText());
        assertEquals(message, turn.path("messages").get(0).path("content").asText());
        assertEquals("assistant", turn.path("messages").get(1).path("role").asText());
        assertEquals(
                "Hi! How can I help you today?",
                turn.path("messages").get(1).path("content").asText());
        assertEquals(
                42,
                turn.path("metadata").path("token_usage").path("input_tokens").asInt());
        assertTrue(turn.path("metadata").path("tool_calls").isArray());
        assertEquals(
                "general-assistant-system",
                turn.path("metadata").path("prompt_id").asText(),
                "the turn records which prompt produced it");
        assertEquals(1, turn.path("metadata").path("prompt_version").asInt());
        assertEquals(
                "1.0.0",
                turn.path("metadata").path("agent_version").asText(),
                "the turn records which agent version ran it (no rollout: the stable one)");
        assertTrue(turn.path("metadata").path("canary").isMissingNode(), "not a canary turn");

        // the agent's system prompt came from prompt-service, rendered with the turn's variables
        LoggedRequest llmCall = openAi.findAll(
                        postRequestedFor(urlEqualTo(CHAT_COMPLETIONS)).withRequestBody(containing(id)))
                .get(0);
        String llmBody = llmCall.getBodyAsString();
        assertTrue(llmBody.contains("You are general_assistant_agent of Switchboard Demo Co."), llmBody);
        assertTrue(llmBody.contains("session " + session), llmBody);
    }

    @Test
    void aNewSessionIsStartedByItsFirstTurnInOneStateServiceCall() throws Exception {
        String id = UUID.randomUUID().toString();
        String user = "u-new-" + id;
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Welcome!"))));
        String session = given().contentType(ContentType.JSON)
                .body(Map.of("message", "Hello there " + id, "user_id", user, "agent", "general_assistant_agent"))
                .post("/chat")
                .then()
                .statusCode(200)
                .extract()
                .path("session_id");

        // no POST /sessions: the turn itself starts the session (If-None-Match: *, owner in the body)
        assertEquals(
                0,
                peers.findAll(postRequestedFor(urlEqualTo("/sessions"))
                                .withRequestBody(matchingJsonPath("$.session_id", WireMock.equalTo(session))))
                        .size());
        List<LoggedRequest> appends = peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")));
        assertEquals(1, appends.size());
        assertEquals("*", appends.get(0).getHeader("If-None-Match"));
        assertEquals(null, appends.get(0).getHeader("If-Match"));
        JsonNode turn = JSON.readTree(appends.get(0).getBodyAsString());
        assertEquals(user, turn.path("user_id").asText());
        assertEquals(2, turn.path("messages").size());
    }

    @Test
    void savesUserMessageWithErrorOutcomeWhenTheAgentFails() throws Exception {
        String id = UUID.randomUUID().toString();
        String session = "s-" + id;
        String message = "Please greet me " + id;
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}")));

        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "message",
                        message,
                        "session_id",
                        session,
                        "user_id",
                        "u-" + id,
                        "agent",
                        "general_assistant_agent"))
                .post("/chat")
                .then()
                .statusCode(502)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/agent-failed"))
                .body("status", equalTo(502));

        List<LoggedRequest> appends = peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")));
        assertEquals(1, appends.size(), "the failed turn is saved once");
        JsonNode turn = JSON.readTree(appends.get(0).getBodyAsString());
        assertEquals("error", turn.path("outcome").asText());
        assertEquals(1, turn.path("messages").size());
        assertEquals("user", turn.path("messages").get(0).path("role").asText());
        assertEquals(message, turn.path("messages").get(0).path("content").asText());
        String error = turn.path("error").asText();
        assertFalse(error.isBlank());
        assertFalse(error.contains("Exception") || error.contains("\tat "), "no stack or class names: " + error);
    }

    @Test
    void retriesTheAppendOnceAfterAVersionConflict() throws Exception {
        String id = UUID.randomUUID().toString();
        String session = "s-" + id;
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Hello again"))));
        String turns = "/sessions/" + session + "/turns";
        peers.stubFor(post(urlEqualTo(turns))
                .inScenario(id)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(PeersWireMockResource.problem(412, "version-conflict", "Version conflict", "changed"))
                .willSetStateTo("reloaded"));
        peers.stubFor(post(urlEqualTo(turns))
                .inScenario(id)
                .whenScenarioStateIs("reloaded")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"session\":{\"session_id\":\"" + session
                                + "\",\"version\":6},\"checkpoint_id\":\"c-retried\"}")));
        peers.stubFor(get(urlPathEqualTo("/sessions/" + session))
                .willReturn(okJson("{\"session_id\":\"" + session + "\",\"version\":5,\"messages\":[],\"turns\":[]}")));

        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hi " + id, "session_id", session, "agent", "general_assistant_agent"))
                .post("/chat")
                .then()
                .statusCode(200)
                .body("checkpoint_id", equalTo("c-retried"));

        List<LoggedRequest> appends = peers.findAll(postRequestedFor(urlEqualTo(turns)));
        assertEquals(2, appends.size());
        assertEquals("\"1\"", appends.get(0).getHeader("If-Match"));
        assertEquals("\"5\"", appends.get(1).getHeader("If-Match"));
        assertEquals(
                JSON.readTree(appends.get(0).getBodyAsString()).path("turn_id"),
                JSON.readTree(appends.get(1).getBodyAsString()).path("turn_id"),
                "same turn id on the retry");
    }

    @Test
    void uncertainMessageIsRoutedByTheLlmRouter() throws Exception {
        String id = UUID.randomUUID().toString();
        String session = "s-" + id;
        String message = "zxqv blorp wuggle R&D <team> " + id;
        // the router call carries the rendered router-intent-classification prompt; the agent call its system prompt
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .withRequestBody(containing("Answer with the name only"))
                .willReturn(okJson(textCompletion("lead_qualification_agent"))));
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .withRequestBody(containing("You are lead_qualification_agent"))
                .willReturn(okJson(textCompletion("Tell me about your budget."))));

        given().contentType(ContentType.JSON)
                .body(Map.of("message", message, "session_id", session))
                .post("/chat")
                .then()
                .statusCode(200)
                .body("agent", equalTo("lead_qualification_agent"))
                .body("routing.method", equalTo("llm"))
                .body("response", equalTo("Tell me about your budget."));

        String routerCall = openAi.findAll(postRequestedFor(urlEqualTo(CHAT_COMPLETIONS))
                        .withRequestBody(containing("Answer with the name only"))
                        .withRequestBody(containing(id)))
                .get(0)
                .getBodyAsString();
        assertTrue(
                routerCall.contains("calendar_checker_agent: Looks up the calendar"), "agents listed: " + routerCall);
        assertTrue(
                routerCall.contains("Message: zxqv blorp wuggle R&D <team> " + id),
                "message inserted verbatim: " + routerCall);
        assertFalse(routerCall.contains(PeersWireMockResource.INACTIVE_AGENT), "inactive agents are not offered");
        JsonNode turn = JSON.readTree(peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")))
                .get(0)
                .getBodyAsString());
        assertEquals("llm", turn.path("routing").path("method").asText());
        assertEquals("lead_qualification_agent", turn.path("agent").asText());
    }

    @Test
    void returns404ProblemForUnknownExplicitAgent() {
        String id = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hello", "user_id", "u-" + id, "agent", "no_such_agent"))
                .post("/chat")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/agent-not-found"));
    }

    @Test
    void returns409ProblemForInactiveExplicitAgent() {
        String id = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hello", "user_id", "u-" + id, "agent", PeersWireMockResource.INACTIVE_AGENT))
                .post("/chat")
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/agent-unavailable"));
    }

    @Test
    void rejectsInvalidRequestsWithoutTouchingStateService() {
        int sessionCallsBefore = sessionCalls();
        String id = UUID.randomUUID().toString();

        given().contentType(ContentType.JSON)
                .body("{\"message\": \"unterminated")
                .post("/chat")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/malformed-request"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "", "user_id", "u-" + id))
                .post("/chat")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"))
                .body("errors.field", hasItem("message"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "x".repeat(8001), "user_id", "u-" + id))
                .post("/chat")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("message"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hi", "session_id", "bad id!", "user_id", "u-" + id))
                .post("/chat")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("session_id"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hi", "user_id", "x".repeat(129)))
                .post("/chat")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("user_id"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hi", "agent", "../etc"))
                .post("/chat")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("agent"));
        given().contentType(ContentType.JSON)
                .post("/chat")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);

        assertEquals(sessionCallsBefore, sessionCalls(), "invalid requests never reach state-service");
    }

    @Test
    void returns429WithRetryAfterOverTheUsersLimit() {
        String user = "u-rl-" + UUID.randomUUID();
        // token bucket: 5/min refill and burst 5 (default = per-minute) in the test config; one token per 12 s
        Response limited = null;
        int admitted = 0;
        for (int i = 0; i < 11 && limited == null; i++) {
            Response r = given().contentType(ContentType.JSON)
                    .body(Map.of("message", "hello", "user_id", user, "agent", "no_such_agent"))
                    .post("/chat");
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                assertEquals(404, r.statusCode(), "admitted requests reach routing");
                admitted++;
            }
        }
        assertTrue(admitted >= 5 && admitted <= 6, "the burst of 5 is admitted at once, then refills: " + admitted);
        assertTrue(limited != null, "the rate limit answered 429");
        limited.then()
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/rate-limited"))
                .body("detail", containsString("5 messages per minute"));
        int retryAfter = Integer.parseInt(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 12, "Retry-After = seconds to the next token: " + retryAfter);
        // another user is not affected
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hello", "user_id", user + "-other", "agent", "no_such_agent"))
                .post("/chat")
                .then()
                .statusCode(404);
    }

    @Test
    void nextTurnStartsFromThisReplicasSnapshotUnlessAnotherWriterHeldTheSession() throws Exception {
        String id = UUID.randomUUID().toString();
        String session = "s-" + id;
        String user = "u-" + id;
        String turns = "/sessions/" + session + "/turns";
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Noted."))));
        // state-service answers each append with the session as it now is (version 2, then 3, then 4)
        for (int v = 2; v <= 4; v++) {
            String state = v == 2 ? Scenario.STARTED : "v" + v;
            peers.stubFor(post(urlEqualTo(turns))
                    .inScenario(id)
                    .whenScenarioStateIs(state)
                    .willReturn(aResponse()
                            .withStatus(201)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"session\":{\"session_id\":\"" + session + "\",\"user_id\":\"" + user
                                    + "\",\"version\":" + v + ",\"messages\":[{\"role\":\"user\",\"content\":\"first "
                                    + id + " remembered\",\"turn_id\":\"t1\"},{\"role\":\"assistant\","
                                    + "\"content\":\"Noted.\",\"turn_id\":\"t1\"}],\"turns\":[{\"turn_id\":\"t1\","
                                    + "\"outcome\":\"ok\"}]},\"checkpoint_id\":\"c-v" + v + "\"}"))
                    .willSetStateTo("v" + (v + 1)));
        }
        java.util.function.Supplier<Integer> loads = () -> peers.findAll(postRequestedFor(urlEqualTo("/sessions"))
                        .withRequestBody(matchingJsonPath("$.session_id", WireMock.equalTo(session))))
                .size();

        chat(session, user, "first " + id);
        assertEquals(1, loads.get(), "the first turn loads the session");

        chat(session, user, "second " + id);
        assertEquals(1, loads.get(), "the next turn on this replica starts from the snapshot it got back");
        List<LoggedRequest> appends = peers.findAll(postRequestedFor(urlEqualTo(turns)));
        assertEquals("\"2\"", appends.get(1).getHeader("If-Match"), "If-Match = the snapshot's version");
        String secondCall = openAi.findAll(
                        postRequestedFor(urlEqualTo(CHAT_COMPLETIONS)).withRequestBody(containing("second " + id)))
                .get(0)
                .getBodyAsString();
        assertTrue(
                secondCall.contains("first " + id + " remembered"), "history comes from the snapshot: " + secondCall);

        // another replica takes the session's lease in between: its acquisition moves the fence on
        redis.value(String.class)
                .set(
                        dev.switchboard.supervisor.sessions.SessionLeaseManager.fenceKey(session),
                        Long.toString(System.currentTimeMillis() + 60_000));
        chat(session, user, "third " + id);
        assertEquals(2, loads.get(), "after another writer the session is loaded from state-service again");
    }

    private void chat(String session, String user, String message) {
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "message", message, "session_id", session, "user_id", user, "agent", "general_assistant_agent"))
                .post("/chat")
                .then()
                .statusCode(200);
    }

    private int sessionCalls() {
        return peers.findAll(postRequestedFor(urlEqualTo("/sessions"))).size();
    }
}
