package dev.switchboard.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once chat turns across a replica's death: two supervisor replicas; replica 0 reaches state-service through
 * a proxy (WireMock) that writes the turn at once but holds state-service's answer back, so the turn is committed and
 * its replica has not answered yet when the test {@code kill -9}s it. The client then retries with the same
 * {@code Idempotency-Key} on replica 1. The model books an appointment with its tool before it answers.
 */
class IdempotencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "appointment_booking_agent";
    private static final String CHAT_COMPLETIONS = "/v1/chat/completions";

    @RegisterExtension
    static final Services services = new Services();

    private static WireMockServer model;
    /** Replica 0's way to state-service. */
    private static WireMockServer stateProxy;

    private static HttpClient http;

    @BeforeAll
    static void start() {
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        model = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        model.start();
        stateProxy = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(40));
        stateProxy.start();
        services.supervisors(2, i -> "idem-supervisor-" + i)
                .supervisorEnv(Map.of(
                        "SESSION_LEASE_TTL", "3s",
                        "OPENAI_BASE_URL", model.baseUrl() + "/v1/",
                        "OPENAI_API_KEY", "e2e-test-key",
                        "OPENAI_MODEL", "gpt-4o-mini"))
                .supervisorEnv(0, Map.of("STATE_SERVICE_URL", stateProxy.baseUrl()))
                .afterPeersStarted(() -> stateProxy.stubFor(any(anyUrl())
                        .atPriority(10)
                        .willReturn(aResponse().proxiedFrom(services.state().url()))))
                .start();
    }

    @AfterAll
    static void stop() {
        services.stop();
        if (model != null) {
            model.stop();
        }
        if (stateProxy != null) {
            stateProxy.stop();
        }
    }

    /**
     * Kill -9 the replica after the turn is committed but before it answers; the retry with the same key on another
     * replica gets the committed answer: one turn in the session, one model call (its two rounds: the booking tool
     * call and the answer), one booking.
     */
    @Test
    void aRetryAfterTheReplicaDiedBetweenCommitAndAnswerGetsTheStoredTurnWithoutRunningItAgain() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String session = "idem-" + run;
        String key = UUID.randomUUID().toString();
        LocalDate monday =
                LocalDate.now(ZoneOffset.UTC).plusWeeks(2).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        String args = "{\"date\":\"" + monday + "\",\"start_time\":\"10:00\",\"duration_minutes\":30,"
                + "\"name\":\"Ada Lovelace\",\"contact\":\"ada@example.com\"}";
        model.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .atPriority(5)
                .withRequestBody(containing(run))
                .willReturn(okJson(toolCall("book_appointment", args))));
        model.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .atPriority(1)
                .withRequestBody(containing(run))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(okJson(text("You are booked for Monday at 10:00, Ada."))));
        // replica 0's write of this session's turn reaches state-service at once; the answer comes back much later
        stateProxy.stubFor(post(urlPathEqualTo("/sessions/" + session + "/turns"))
                .atPriority(1)
                .willReturn(aResponse().proxiedFrom(services.state().url()).withFixedDelay(60_000)));
        String body = JSON.writeValueAsString(Map.of(
                "message",
                "Please book me on Monday at 10 (" + run + ")",
                "session_id",
                session,
                "user_id",
                "idem-user-" + run,
                "agent",
                AGENT));

        CompletableFuture<HttpResponse<String>> first = http.sendAsync(chat(0, body, key), ofString());
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> committedTurns(session) == 1); // committed in PostgreSQL, not answered
        assertTrue(!first.isDone(), "replica 0 has not answered yet");
        services.supervisor(0).kill();
        int modelCalls = modelCalls(run);
        assertEquals(2, modelCalls, "the first attempt: the booking tool call, then the answer");

        HttpResponse<String> retry = http.send(chat(1, body, key), ofString());

        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
        JsonNode answer = JSON.readTree(retry.body());
        assertEquals(
                "You are booked for Monday at 10:00, Ada.",
                answer.path("response").asText());
        JsonNode stored = get(services.state().url() + "/sessions/" + session);
        assertEquals(1, stored.path("turns").size(), "exactly one turn in the session: " + stored);
        assertEquals(2, stored.path("messages").size(), "one user message, one answer");
        assertEquals(
                stored.at("/turns/0/turn_id").asText(), answer.path("turn_id").asText());
        assertEquals(
                stored.at("/turns/0/checkpoint_id").asText(),
                answer.path("checkpoint_id").asText());
        assertEquals(modelCalls, modelCalls(run), "the retry made no model call");
        assertEquals(
                1,
                services.count("SELECT count(*) FROM supervisor.appointments WHERE session_id = ?", session),
                "one booking");
        try {
            HttpResponse<String> lost = first.get(30, TimeUnit.SECONDS);
            assertNotEquals(200, lost.statusCode(), "the killed replica never answered: " + lost.body());
        } catch (ExecutionException expected) {
            // the connection died with the replica
        }
    }

    private static HttpRequest chat(int replica, String body, String key) {
        return E2eAuth.admin(HttpRequest.newBuilder(
                        URI.create(services.supervisor(replica).url() + "/chat")))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpResponse.BodyHandler<String> ofString() {
        return HttpResponse.BodyHandlers.ofString();
    }

    /** @return the turns state-service holds for the session (0 while it does not exist) */
    private static int committedTurns(String session) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                E2eAuth.admin(HttpRequest.newBuilder(URI.create(services.state().url() + "/sessions/" + session)))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                ofString());
        return response.statusCode() == 200
                ? JSON.readTree(response.body()).path("turns").size()
                : 0;
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                E2eAuth.admin(HttpRequest.newBuilder(URI.create(url)))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                ofString());
        assertEquals(200, response.statusCode(), "GET " + url + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static int modelCalls(String run) {
        return model.findAll(postRequestedFor(urlPathEqualTo(CHAT_COMPLETIONS)).withRequestBody(containing(run)))
                .size();
    }

    private static String text(String content) {
        return FakeOpenAi.completion(content);
    }

    /** An OpenAI {@code chat.completion} asking for one call of {@code tool} with {@code argumentsJson}. */
    private static String toolCall(String tool, String argumentsJson) {
        ObjectNode root = JSON.createObjectNode()
                .put("id", "chatcmpl-" + UUID.randomUUID())
                .put("object", "chat.completion")
                .put("created", 1_700_000_000)
                .put("model", "gpt-4o-mini");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0).put("finish_reason", "tool_calls");
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        message.putNull("content");
        ObjectNode call =
                message.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function");
        call.putObject("function").put("name", tool).put("arguments", argumentsJson);
        root.putObject("usage")
                .put("prompt_tokens", 50)
                .put("completion_tokens", 12)
                .put("total_tokens", 62);
        return root.toString();
    }
}
