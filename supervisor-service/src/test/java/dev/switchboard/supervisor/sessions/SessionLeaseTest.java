package dev.switchboard.supervisor.sessions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The single-writer lease on {@code POST /chat}: double-texting strategies, arrival order, expiry of a crashed
 * holder's lease, fencing tokens on the append, lease loss, and draining on shutdown. Real Redis; peers and OpenAI
 * faked by WireMock.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class SessionLeaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "https://switchboard.dev/problems/";
    private static final String AGENT = "general_assistant_agent";

    @InjectPeers
    WireMockServer peers;

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    RedisDataSource redis;

    @Inject
    GracefulShutdown shutdown;

    private final List<String> sessions = new ArrayList<>();
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeEach
    void waitForAgentCache() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    @AfterEach
    void cleanUp() {
        clients.shutdownNow();
        shutdown.resume();
        for (String session : sessions) {
            redis.key()
                    .del(
                            SessionLeaseManager.leaseKey(session),
                            SessionLeaseManager.fenceKey(session),
                            SessionLeaseManager.waitersKey(session),
                            SessionLeaseManager.waitersSeenKey(session));
        }
    }

    private String newSession() {
        String session = "s-lease-" + UUID.randomUUID();
        sessions.add(session);
        return session;
    }

    /** The model answers messages containing {@code marker} after {@code delayMs}. */
    private void llmAnswers(String marker, String answer, int delayMs) {
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(textCompletion(answer)).withFixedDelay(delayMs)));
    }

    private static Response chat(String session, String message, String strategy) {
        Map<String, Object> body = new HashMap<>(
                Map.of("message", message, "session_id", session, "user_id", "u-" + session, "agent", AGENT));
        if (strategy != null) {
            body.put("multitask_strategy", strategy);
        }
        return given().contentType(ContentType.JSON).body(body).post("/chat");
    }

    /** On its own thread: the common pool may have a single thread on a small machine. */
    private CompletableFuture<Response> chatAsync(String session, String message, String strategy) {
        return CompletableFuture.supplyAsync(() -> chat(session, message, strategy), clients);
    }

    private List<LoggedRequest> appends(String session) {
        return peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")));
    }

    private static String userMessage(LoggedRequest append) {
        try {
            return JSON.readTree(append.getBodyAsString())
                    .path("messages")
                    .get(0)
                    .path("content")
                    .asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private boolean leaseHeld(String session) {
        return redis.key().exists(SessionLeaseManager.leaseKey(session));
    }

    private long queued(String session) {
        return redis.sortedSet(String.class).zcard(SessionLeaseManager.waitersKey(session));
    }

    @Test
    void rejectStrategyGives409ToTheSecondMessageAndWritesOneTurn() throws Exception {
        String session = newSession();
        llmAnswers("first-" + session, "slow answer", 1500);

        CompletableFuture<Response> first = chatAsync(session, "first-" + session, "reject");
        await().atMost(Duration.ofSeconds(10)).until(() -> leaseHeld(session));
        Response second = chat(session, "second-" + session, "reject");

        second.then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "session-busy"));
        first.get().then().statusCode(200).body("response", equalTo("slow answer"));
        List<LoggedRequest> appends = appends(session);
        assertEquals(1, appends.size(), "only the winner's turn is written");
        assertEquals("first-" + session, userMessage(appends.get(0)));
        assertFalse(leaseHeld(session), "released after the turn");
    }

    @Test
    void enqueueStrategyRunsBothInLeaseOrderOnTheVersionEachLoaded() throws Exception {
        String session = newSession();
        String scenario = "enqueue-" + session;
        // state-service fake: the session is at version 1 until the first append, then at version 2
        peers.stubFor(post(urlPathEqualTo("/sessions"))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.session_id", WireMock.equalTo(session)))
                .inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(sessionJson(session, 1))));
        peers.stubFor(post(urlPathEqualTo("/sessions"))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.session_id", WireMock.equalTo(session)))
                .inScenario(scenario)
                .whenScenarioStateIs("after-first")
                .willReturn(okJson(sessionJson(session, 2))));
        peers.stubFor(post(urlEqualTo("/sessions/" + session + "/turns"))
                .atPriority(1)
                .inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("after-first")
                .willReturn(appended(session, 2)));
        peers.stubFor(post(urlEqualTo("/sessions/" + session + "/turns"))
                .atPriority(1)
                .inScenario(scenario)
                .whenScenarioStateIs("after-first")
                .willSetStateTo("after-second")
                .willReturn(appended(session, 3)));
        llmAnswers("first-" + session, "answer one", 1000);
        llmAnswers("second-" + session, "answer two", 0);

        CompletableFuture<Response> first = chatAsync(session, "first-" + session, "enqueue");
        await().atMost(Duration.ofSeconds(10)).until(() -> leaseHeld(session));
        CompletableFuture<Response> second = chatAsync(session, "second-" + session, null); // default enqueue

        first.get().then().statusCode(200).body("response", equalTo("answer one"));
        second.get().then().statusCode(200).body("response", equalTo("answer two"));
        List<LoggedRequest> appends = appends(session);
        assertEquals(2, appends.size());
        assertEquals("first-" + session, userMessage(appends.get(0)));
        assertEquals("second-" + session, userMessage(appends.get(1)));
        assertEquals("\"1\"", appends.get(0).getHeader("If-Match"));
        assertEquals(
                "\"2\"", appends.get(1).getHeader("If-Match"), "the second loaded the session after the first wrote");
        long token1 = Long.parseLong(appends.get(0).getHeader("X-Fencing-Token"));
        long token2 = Long.parseLong(appends.get(1).getHeader("X-Fencing-Token"));
        assertTrue(token2 > token1, "fencing tokens increase: " + token1 + " then " + token2);
        assertEquals(0, queued(session), "no waiter left behind");
    }

    @Test
    void waitersRunInArrivalOrder() throws Exception {
        String session = newSession();
        // a holder on another replica: released by the test once three messages queue behind it
        String holder = "other-replica|r-1|" + System.currentTimeMillis();
        redis.value(String.class).set(SessionLeaseManager.leaseKey(session), holder, new SetArgs().px(20_000));
        List<CompletableFuture<Response>> responses = new ArrayList<>();
        for (String name : List.of("alpha", "bravo", "charlie")) {
            llmAnswers(name + "-" + session, "ok " + name, 0);
            responses.add(chatAsync(session, name + "-" + session, "enqueue"));
            long expected = responses.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> queued(session) == expected);
        }
        redis.key().del(SessionLeaseManager.leaseKey(session));
        redis.pubsub(String.class).publish(SessionLeaseManager.RELEASED_CHANNEL, session);

        for (CompletableFuture<Response> response : responses) {
            response.get().then().statusCode(200);
        }
        List<String> order =
                appends(session).stream().map(SessionLeaseTest::userMessage).toList();
        assertEquals(List.of("alpha-" + session, "bravo-" + session, "charlie-" + session), order);
    }

    @Test
    void leaseOfACrashedHolderBlocksOnlyUntilItExpires() {
        String session = newSession();
        long crashedToken = System.currentTimeMillis() + 60_000; // a holder whose clock-based token is ahead
        redis.value(String.class).set(SessionLeaseManager.fenceKey(session), Long.toString(crashedToken));
        redis.value(String.class)
                .set(SessionLeaseManager.leaseKey(session), "crashed|r-0|" + crashedToken, new SetArgs().px(1500));
        llmAnswers("after-crash-" + session, "back again", 0);

        chat(session, "after-crash-" + session, null).then().statusCode(200).body("response", equalTo("back again"));

        List<LoggedRequest> appends = appends(session);
        assertEquals(1, appends.size());
        assertEquals(
                crashedToken + 1,
                Long.parseLong(appends.get(0).getHeader("X-Fencing-Token")),
                "the token continues above the crashed holder's");
        assertFalse(leaseHeld(session));
    }

    @Test
    void staleFencingTokenFromStateServiceIs409LeaseLostWithNothingRecorded() {
        String session = newSession();
        peers.stubFor(post(urlEqualTo("/sessions/" + session + "/turns"))
                .atPriority(1)
                .willReturn(PeersWireMockResource.problem(
                        409, "stale-fencing-token", "Stale fencing token", "Session already accepted a newer token")));
        llmAnswers("lost-" + session, "never stored", 0);

        chat(session, "lost-" + session, null)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "lease-lost"))
                .body("status", equalTo(409));

        assertEquals(1, appends(session).size(), "no second write (no failed-turn record) after losing the lease");
        assertFalse(leaseHeld(session));
    }

    @Test
    void invalidStrategyIs400() {
        String session = newSession();
        chat(session, "hello", "overwrite")
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM + "validation-failed"))
                .body("errors.field", hasItem("multitask_strategy"));
        assertEquals(0, appends(session).size());
    }

    @Test
    void drainingTurnsReadinessDownAndAnswers503ShuttingDown() throws Exception {
        String session = newSession();
        redis.value(String.class)
                .set(SessionLeaseManager.leaseKey(session), "other-replica|r-9|1", new SetArgs().px(20_000));
        CompletableFuture<Response> waiting = chatAsync(session, "waiting-" + session, "enqueue");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued(session) == 1);

        shutdown.beginDrain();

        waiting.get().then().statusCode(503).body("type", equalTo(PROBLEM + "shutting-down"));
        await().atMost(Duration.ofSeconds(5)).until(() -> queued(session) == 0);
        given().get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'shutdown' }.status", equalTo("DOWN"));
        Response refused = chat(newSession(), "hello", null);
        refused.then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "shutting-down"));
        assertNotNull(refused.header("Retry-After"));
        assertEquals(0, appends(session).size());

        shutdown.resume();
        given().get("/q/health/ready").then().body("checks.find { it.name == 'shutdown' }.status", equalTo("UP"));
    }

    private static String sessionJson(String session, long version) {
        return "{\"session_id\":\"" + session + "\",\"version\":" + version + ",\"messages\":[],\"turns\":[],"
                + "\"state\":{},\"metadata\":{}}";
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder appended(
            String session, long version) {
        return aResponse()
                .withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"session\":{\"session_id\":\"" + session + "\",\"version\":" + version
                        + ",\"messages\":[],\"turns\":[]},\"checkpoint_id\":\"c-" + UUID.randomUUID() + "\"}");
    }
}
