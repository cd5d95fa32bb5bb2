package dev.switchboard.supervisor.chat;

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
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.toolCallCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.crm.calendar.CalendarService;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on {@code POST /chat} (and A2A {@code messageId}): a repeat gets the first answer with one
 * model call and one write; 409 while the first runs; 422 for the key with another request; keys scoped per caller;
 * the answer kept for {@code IDEMPOTENCY_TTL}; a turn stored by a replica that died before answering is found in the
 * session; a turn run again under its turn id books once. Real Redis and PostgreSQL, peers and model on WireMock.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class IdempotentTurnTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "general_assistant_agent";
    private static final String PROBLEMS = "https://switchboard.dev/problems/";

    @InjectPeers
    WireMockServer peers;

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @Inject
    CalendarService calendar;

    private String id;

    @BeforeEach
    void setUp() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
        id = UUID.randomUUID().toString();
    }

    @Test
    void aRepeatGetsTheFirstAnswerWithOneModelCallAndOneWrite() throws Exception {
        String session = "s-idem-" + id;
        String key = UUID.randomUUID().toString();
        Map<String, String> body = body("Hello, idempotent " + id, session);
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Hi once!"))));

        Response first = chat(body, "\"" + key + "\"", null); // as the IETF draft writes it: an sf-string
        Response second = chat(body, key, null); // as many clients send it: bare

        assertEquals(200, first.statusCode(), first.asString());
        assertEquals(200, second.statusCode(), second.asString());
        assertNull(first.header(IdempotencyKey.REPLAYED_HEADER), "the first answer is not a replay");
        assertEquals("true", second.header(IdempotencyKey.REPLAYED_HEADER));
        JsonNode a = JSON.readTree(first.asString());
        JsonNode b = JSON.readTree(second.asString());
        assertEquals(a, b, "the repeat gets the first answer, field for field");
        assertEquals("Hi once!", b.path("response").asText());
        assertEquals(
                new IdempotencyKey(TestCredentials.ADMIN, key, null).turnId(),
                a.path("turn_id").asText());
        assertEquals(1, modelCalls(), "the model answered once");
        List<LoggedRequest> appends = appends(session);
        assertEquals(1, appends.size(), "one turn written");
        JsonNode stored = JSON.readTree(appends.get(0).getBodyAsString()).path("metadata");
        assertEquals(key, stored.path("idempotency").path("key").asText(), "the key is stored with the turn");
        assertEquals(
                IdempotencyKey.fingerprint(request(body)),
                stored.path("idempotency").path("fingerprint").asText());
    }

    @Test
    void aRepeatWhileTheFirstRunsIs409WithRetryAfterThenGetsTheAnswer() throws Exception {
        String session = "s-idem-busy-" + id;
        String key = UUID.randomUUID().toString();
        Map<String, String> body = body("Take your time " + id, session);
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Done, slowly.")).withFixedDelay(2000)));

        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> chat(body, key, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> modelCalls() == 1); // the first holds the key

        Response busy = chat(body, key, null);
        assertEquals(409, busy.statusCode(), busy.asString());
        assertTrue(busy.contentType().startsWith("application/problem+json"), busy.contentType());
        assertEquals(PROBLEMS + "idempotency-key-in-use", busy.path("type"));
        assertTrue(Integer.parseInt(busy.header("Retry-After")) >= 1, "Retry-After in seconds");

        Response answered = first.get(30, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.asString());
        Response again = chat(body, key, null);
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals(answered.path("turn_id"), again.<String>path("turn_id"));
        assertEquals("Done, slowly.", again.path("response"));
        assertEquals(1, modelCalls(), "neither the refused nor the late repeat reached the model");
        assertEquals(1, appends(session).size());
    }

    @Test
    void theKeyWithAnotherRequestIs422AndChangesNothing() throws Exception {
        String session = "s-idem-other-" + id;
        String key = UUID.randomUUID().toString();
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("First."))));
        assertEquals(200, chat(body("The first " + id, session), key, null).statusCode());

        Response other = chat(body("Something else " + id, session), key, null);

        assertEquals(422, other.statusCode(), other.asString());
        assertTrue(other.contentType().startsWith("application/problem+json"), other.contentType());
        assertEquals(PROBLEMS + "idempotency-key-reused", other.path("type"));
        assertEquals(1, modelCalls());
        assertEquals(1, appends(session).size(), "the other request wrote nothing");
    }

    @Test
    void keysAreScopedToTheCallerSoUsersNeverSeeEachOthersAnswers() throws Exception {
        String key = "shared-" + id;
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Your own answer."))));
        Map<String, String> request = new HashMap<>(Map.of("message", "Hi from a user " + id, "agent", AGENT));

        // two users of their own (access tokens), so no other test's rate-limit spending touches them
        Response user = chat(request, key, userToken("u-a-" + id));
        Response otherUser = chat(request, key, userToken("u-b-" + id));

        assertEquals(200, user.statusCode(), user.asString());
        assertEquals(200, otherUser.statusCode(), otherUser.asString());
        assertNull(otherUser.header(IdempotencyKey.REPLAYED_HEADER), "another caller's key is a key of its own");
        assertNotEquals(user.<String>path("turn_id"), otherUser.path("turn_id"));
        assertNotEquals(user.<String>path("session_id"), otherUser.path("session_id"));
        assertEquals(2, modelCalls(), "each caller's turn ran");
    }

    @Test
    void theAnswerIsKeptForTheConfiguredTtl() {
        String key = UUID.randomUUID().toString();
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Kept."))));
        assertEquals(
                200,
                chat(body("Keep this " + id, "s-idem-ttl-" + id), key, null).statusCode());

        String redisKey = IdempotencyKeys.redisKey(new IdempotencyKey(TestCredentials.ADMIN, key, null));
        long ttl = redis.key().pttl(redisKey);
        // src/test/resources/application.properties sets supervisor.idempotency.ttl (IDEMPOTENCY_TTL) to 6h
        long configured = Duration.ofHours(6).toMillis();
        assertTrue(ttl > configured - 60_000 && ttl <= configured, "TTL " + ttl + " ms, configured " + configured);
        assertEquals("done", redis.hash(String.class).hget(redisKey, "state"));
    }

    @Test
    void aTurnStoredByAReplicaThatDiedBeforeAnsweringIsAnsweredFromTheSession() throws Exception {
        String session = "s-idem-died-" + id;
        String key = UUID.randomUUID().toString();
        Map<String, String> body = body("Did it go through? " + id, session);
        IdempotencyKey bound = new IdempotencyKey(TestCredentials.ADMIN, key, null).of(request(body));
        // what the dead replica left: its running key in Redis, and the turn it stored in state-service
        String redisKey = IdempotencyKeys.redisKey(bound);
        redis.hash(String.class)
                .hset(
                        redisKey,
                        Map.of("state", "running", "fingerprint", bound.fingerprint(), "owner", "dead-replica"));
        redis.key().pexpire(redisKey, 60_000);
        peers.stubFor(get(urlEqualTo("/sessions/" + session))
                .willReturn(okJson(storedSession(session, bound, "It went through.", "c-stored-" + id))));

        Response retry = chat(body, key, null);

        assertEquals(200, retry.statusCode(), retry.asString());
        assertEquals("true", retry.header(IdempotencyKey.REPLAYED_HEADER));
        assertEquals("It went through.", retry.path("response"));
        assertEquals("c-stored-" + id, retry.path("checkpoint_id"));
        assertEquals(bound.turnId(), retry.path("turn_id"));
        assertEquals(0, modelCalls(), "no second model call");
        assertEquals(0, appends(session).size(), "no second write");
        assertEquals("done", redis.hash(String.class).hget(redisKey, "state"), "the answer is recorded now");
    }

    @Test
    void withoutRedisTheTurnIsFoundInItsDerivedSessionUnderTheLease() throws Exception {
        String key = UUID.randomUUID().toString();
        Map<String, String> body = body("No session named " + id, null);
        IdempotencyKey bound = new IdempotencyKey(TestCredentials.ADMIN, key, null).of(request(body));
        String session = bound.sessionId(); // the request names no session: the key derives it
        peers.stubFor(get(urlEqualTo("/sessions/" + session))
                .willReturn(okJson(storedSession(session, bound, "Found it.", "c-derived-" + id))));

        Response retry = chat(body, key, null); // no Redis key: as after a Redis flush, or a retry after its TTL

        assertEquals(200, retry.statusCode(), retry.asString());
        assertEquals("true", retry.header(IdempotencyKey.REPLAYED_HEADER));
        assertEquals(session, retry.path("session_id"));
        assertEquals("Found it.", retry.path("response"));
        assertEquals(0, modelCalls());
        assertEquals(0, appends(session).size());
    }

    @Test
    void aTurnRunAgainUnderItsTurnIdBooksOnce() throws Exception {
        String session = "s-idem-book-" + id;
        String key = UUID.randomUUID().toString();
        LocalDate monday = LocalDate.now(calendar.zone())
                .plusWeeks(10 + ThreadLocalRandom.current().nextInt(40_000))
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        String args = "{\"date\":\"" + monday + "\",\"start_time\":\"10:00\",\"duration_minutes\":30,"
                + "\"name\":\"Ada Lovelace\",\"contact\":\"ada@example.com\"}";
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .atPriority(5)
                .withRequestBody(containing(id))
                .willReturn(okJson(toolCallCompletion("call_1", "book_appointment", args))));
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .atPriority(1)
                .withRequestBody(containing(id))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(okJson(textCompletion("You are booked."))));
        // the first attempt's write fails (state-service unreachable): the turn is not stored, its booking is made
        peers.stubFor(post(urlEqualTo("/sessions/" + session + "/turns"))
                .atPriority(1)
                .inScenario("append-" + id)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        Map<String, String> body = Map.of(
                "message",
                "Book me on Monday at 10 " + id,
                "session_id",
                session,
                "user_id",
                "u-" + id,
                "agent",
                "appointment_booking_agent");
        try {
            Response failed = chat(body, key, null);
            assertEquals(503, failed.statusCode(), failed.asString());

            Response retried = chat(body, key, null);

            assertEquals(200, retried.statusCode(), retried.asString());
            assertEquals("You are booked.", retried.path("response"));
            assertEquals(4, modelCalls(), "nothing was stored, so the retry ran the turn again (two rounds each)");
            List<String> bookings = pool
                    .preparedQuery("SELECT idempotency_key FROM supervisor.appointments WHERE session_id = $1")
                    .execute(Tuple.of(session))
                    .await()
                    .atMost(Duration.ofSeconds(10))
                    .stream()
                    .map(row -> row.getString("idempotency_key"))
                    .toList();
            String turnId = new IdempotencyKey(TestCredentials.ADMIN, key, null).turnId();
            assertEquals(List.of(turnId + ":book_appointment:1"), bookings, "one booking, keyed by turn and call");
            List<String> toolResults = openAi
                    .findAll(postRequestedFor(urlEqualTo(CHAT_COMPLETIONS))
                            .withRequestBody(containing(id))
                            .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]")))
                    .stream()
                    .map(r -> lastMessage(r.getBodyAsString()))
                    .toList();
            assertEquals(2, toolResults.size());
            assertTrue(toolResults.get(0).startsWith("Booked: appointment "), toolResults.get(0));
            assertEquals(toolResults.get(0), toolResults.get(1), "the second run got the first run's booking");
        } finally {
            pool.preparedQuery("DELETE FROM supervisor.appointments WHERE session_id = $1")
                    .execute(Tuple.of(session))
                    .await()
                    .atMost(Duration.ofSeconds(10));
        }
    }

    @Test
    void aMalformedKeyIs400NamingTheHeader() {
        for (String bad : List.of("\"\"", "x".repeat(256), "caf\u00e9", "\"unterminated\\\"")) {
            Response refused = chat(body("Hi " + id, null), bad, null);
            assertEquals(400, refused.statusCode(), "key '" + bad + "': " + refused.asString());
            assertEquals(PROBLEMS + "validation-failed", refused.path("type"));
            assertEquals(IdempotencyKey.HEADER, refused.path("errors[0].field"));
        }
        assertEquals(0, modelCalls());
    }

    @Test
    void anA2aMessageSentAgainGetsTheFirstAnswer() throws Exception {
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Hello, agent."))));
        ObjectNode rpc =
                JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "message/send");
        ObjectNode message = rpc.putObject("params").putObject("message");
        message.put("kind", "message").put("role", "user").put("messageId", "m-" + id);
        message.put("contextId", "s-a2a-idem-" + id);
        message.putArray("parts").addObject().put("kind", "text").put("text", "Hi from an agent " + id);
        message.putObject("metadata").put("user_id", "u-" + id);

        JsonNode first = JSON.readTree(a2a(rpc));
        int asked = modelCalls(); // the answer, and maybe the LLM router: the message names no agent
        JsonNode second = JSON.readTree(a2a(rpc));

        assertEquals("Hello, agent.", first.at("/result/parts/0/text").asText(), first.toString());
        assertEquals(first.at("/result/parts"), second.at("/result/parts"), second.toString());
        assertEquals(first.at("/result/metadata"), second.at("/result/metadata"));
        assertEquals(asked, modelCalls(), "the repeated message did not reach the model");
        assertEquals(1, appends("s-a2a-idem-" + id).size());
    }

    private String a2a(ObjectNode rpc) {
        return given().contentType(ContentType.JSON)
                .body(rpc.toString())
                .post("/a2a")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private Map<String, String> body(String message, String session) {
        Map<String, String> body = new HashMap<>(Map.of("message", message, "user_id", "u-" + id, "agent", AGENT));
        if (session != null) {
            body.put("session_id", session);
        }
        return body;
    }

    private static ChatRequest request(Map<String, String> body) {
        return new ChatRequest(
                body.get("message"), body.get("session_id"), body.get("user_id"), body.get("agent"), null);
    }

    private static String userToken(String user) {
        return TestCredentials.accessToken(user, Set.of("user"), Duration.ofMinutes(5));
    }

    /** @param credential the caller's bearer credential, or {@code null}: the tests' administrator */
    private static Response chat(Map<String, String> body, String idempotencyKey, String credential) {
        var request = given().contentType(ContentType.JSON).header(IdempotencyKey.HEADER, idempotencyKey);
        if (credential != null) {
            request.header("Authorization", TestCredentials.bearer(credential));
        }
        return request.body(body).post("/chat");
    }

    private int modelCalls() {
        return openAi.findAll(postRequestedFor(urlPathEqualTo(CHAT_COMPLETIONS)).withRequestBody(containing(id)))
                .size();
    }

    private List<LoggedRequest> appends(String session) {
        return peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")));
    }

    /** A state-service session holding the key's turn as a replica stored it, with {@code reply} as its answer. */
    private static String storedSession(String session, IdempotencyKey key, String reply, String checkpoint) {
        ObjectNode s = JSON.createObjectNode()
                .put("session_id", session)
                .put("user_id", "u-stored")
                .put("version", 3);
        var messages = s.putArray("messages");
        messages.addObject().put("role", "user").put("content", "the question").put("turn_id", key.turnId());
        messages.addObject()
                .put("role", "assistant")
                .put("content", reply)
                .put("agent", AGENT)
                .put("turn_id", key.turnId());
        ObjectNode turn = s.putArray("turns").addObject();
        turn.put("turn_id", key.turnId())
                .put("agent", AGENT)
                .put("outcome", "ok")
                .put("checkpoint_id", checkpoint);
        turn.putObject("routing").put("method", "explicit").put("score", 1.0);
        turn.putObject("metadata")
                .putObject("idempotency")
                .put("key", key.value())
                .put("fingerprint", key.fingerprint());
        s.putObject("state");
        s.putObject("metadata");
        s.put("last_checkpoint_id", checkpoint);
        return s.toString();
    }

    private static String lastMessage(String modelRequest) {
        try {
            JsonNode messages = JSON.readTree(modelRequest).path("messages");
            return messages.get(messages.size() - 1).path("content").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
