package dev.switchboard.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The main job end to end: the four packaged services as processes on real Redis and PostgreSQL, the LLM
 * faked by WireMock serving OpenAI-format responses (tool calls included), driven over HTTP.
 */
class ChatEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One supervisor on WireMock as its LLM, each test stubbing the answers it needs; no rate limit. */
    @RegisterExtension
    static final Services services = new Services();

    private static WireMockServer openAi;

    @BeforeAll
    static void startSuite() {
        openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        openAi.start();
        services.supervisors(1, i -> "e2e-supervisor")
                .supervisorEnv(Map.of(
                        "RATE_LIMIT_PER_MINUTE", "0",
                        "OPENAI_BASE_URL", openAi.baseUrl() + "/v1/",
                        "OPENAI_API_KEY", "e2e-test-key",
                        "OPENAI_MODEL", "gpt-4o-mini"))
                .start();
    }

    @AfterAll
    static void stopSuite() {
        services.stop();
        if (openAi != null) {
            openAi.stop();
        }
    }

    @Test
    void calendarQuestionIsRoutedAndAnsweredThroughARealToolCall() throws Exception {
        String monday = LocalDate.now(ZoneOffset.UTC)
                .with(TemporalAdjusters.next(DayOfWeek.MONDAY))
                .toString();
        String args = JSON.writeValueAsString(Map.of("start_date", monday, "end_date", monday));
        // First call: the model asks for the tool; once the request carries a tool result: the answer.
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(2)
                .withRequestBody(containing("Check my calendar for tomorrow"))
                .willReturn(okJson(toolCall("call_1", "check_availability", args))));
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(1)
                .withRequestBody(containing("Check my calendar for tomorrow"))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(okJson(FakeOpenAi.completion("Monday is wide open: the first free slot is at 09:00."))));

        JsonPath reply = chat(supervisor(), Map.of("message", "Check my calendar for tomorrow", "user_id", "e2e-cal"));

        assertEquals("calendar_checker_agent", reply.getString("agent"));
        assertEquals("semantic", reply.getString("routing.method"));
        assertEquals("Monday is wide open: the first free slot is at 09:00.", reply.getString("response"));
        List<LoggedRequest> calls = openAi.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(containing("Check my calendar for tomorrow")));
        assertEquals(2, calls.size(), "one call asking for the tool, one with its result");
        JsonNode messages = JSON.readTree(calls.get(1).getBodyAsString()).get("messages");
        JsonNode toolResult = messages.get(messages.size() - 1);
        assertEquals("tool", toolResult.get("role").asText(), "the tool result went back to the model");
        assertEquals("call_1", toolResult.get("tool_call_id").asText());
        String slots = toolResult.get("content").asText();
        assertTrue(
                slots.contains(monday) && slots.contains("09:00") && slots.contains("16:30"),
                "the tool result holds the real free slots from PostgreSQL: " + slots);
        assertTrue(calls.get(0).getBodyAsString().contains("check_availability"), "the tool was offered to the model");
        // The turn record keeps the tool call, and the turn is checkpointed.
        given().get(supervisor().url() + "/sessions/" + reply.getString("session_id"))
                .then()
                .statusCode(200)
                .body("turns[0].metadata.tool_calls[0].name", equalTo("check_availability"))
                .body("turns[0].checkpoint_id", equalTo(reply.getString("checkpoint_id")));
    }

    @Test
    void sessionKeepsItsHistorySurvivesSupervisorRestartAndLossOfRedisKeys() {
        String user = "e2e-" + UUID.randomUUID();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(5)
                .withRequestBody(containing("my name is Ada"))
                .willReturn(okJson(FakeOpenAi.completion("Nice to meet you, Ada."))));

        JsonPath first = chat(
                supervisor(),
                Map.of("message", "Hi, my name is Ada", "user_id", user, "agent", "general_assistant_agent"));
        String sessionId = first.getString("session_id");
        assertEquals("explicit", first.getString("routing.method"));

        chat(
                supervisor(),
                Map.of(
                        "message",
                        "What did I just tell you?",
                        "session_id",
                        sessionId,
                        "user_id",
                        user,
                        "agent",
                        "general_assistant_agent"));
        assertHistorySentToModel("What did I just tell you?", "Hi, my name is Ada", "Nice to meet you, Ada.");
        given().get(supervisor().url() + "/sessions/" + sessionId)
                .then()
                .statusCode(200)
                .body("messages", hasSize(4));

        // A supervisor restart loses nothing: the session lives in state-service.
        supervisor().stop();
        supervisor().start();
        chat(
                supervisor(),
                Map.of(
                        "message",
                        "Still there after the restart?",
                        "session_id",
                        sessionId,
                        "user_id",
                        user,
                        "agent",
                        "general_assistant_agent"));
        assertHistorySentToModel("Still there after the restart?", "Hi, my name is Ada", "What did I just tell you?");

        // Losing the Redis copy loses nothing: the session is rebuilt from its latest checkpoint.
        List<String> keys = services.redis("KEYS", "sb:state:*");
        assertTrue(keys.stream().anyMatch(k -> k.contains(sessionId)), "session cached in Redis: " + keys);
        for (String key : keys) {
            services.redis("DEL", key);
        }
        chat(
                supervisor(),
                Map.of(
                        "message",
                        "And after Redis forgot me?",
                        "session_id",
                        sessionId,
                        "user_id",
                        user,
                        "agent",
                        "general_assistant_agent"));
        assertHistorySentToModel("And after Redis forgot me?", "Hi, my name is Ada", "Still there after the restart?");
        given().get(supervisor().url() + "/sessions/" + sessionId)
                .then()
                .statusCode(200)
                .body("messages", hasSize(8))
                .body("messages[0].content", equalTo("Hi, my name is Ada"));
        given().get(supervisor().url() + "/sessions/user/" + user)
                .then()
                .statusCode(200)
                .body("sessions.session_id", org.hamcrest.Matchers.hasItem(sessionId));
        given().get(services.state().url() + "/threads/" + sessionId + "/checkpoints")
                .then()
                .statusCode(200)
                .body("checkpoints.size()", greaterThan(3));
    }

    @Test
    void withoutAnLlmRoutingStillWorksAndLlmAgentsAnswer503NamingTheAgent() {
        Map<String, String> env = new HashMap<>(supervisor().env());
        env.remove("OPENAI_BASE_URL");
        env.remove("OPENAI_API_KEY");
        env.put("SUPERVISOR_ID", "e2e-no-llm");
        ServiceProcess noLlm = new ServiceProcess(Services.SUPERVISOR, ServiceProcess.freePort(), env).start();
        try {
            given().contentType(ContentType.JSON)
                    .body(Map.of("message", "Can I book a haircut for Friday at 3?"))
                    .post(noLlm.url() + "/route")
                    .then()
                    .statusCode(200)
                    .body("agent", equalTo("appointment_booking_agent"))
                    .body("method", notNullValue())
                    .body("candidates", not(org.hamcrest.Matchers.empty()));

            String user = "e2e-nollm-" + UUID.randomUUID();
            String body = given().contentType(ContentType.JSON)
                    .body(Map.of("message", "Check my calendar for tomorrow", "user_id", user))
                    .post(noLlm.url() + "/chat")
                    .then()
                    .statusCode(503)
                    .contentType(containsString("application/problem+json"))
                    .body("type", containsString("llm-not-configured"))
                    .body("detail", containsString("calendar_checker_agent"))
                    .extract()
                    .asString();
            assertTrue(!body.contains("Exception"), "no class names in problem bodies: " + body);

            // The user's message is not lost: the failed turn is recorded in the user's session.
            JsonPath sessions = given().get(noLlm.url() + "/sessions/user/" + user)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            String sessionId = sessions.getString("sessions[0].session_id");
            given().get(noLlm.url() + "/sessions/" + sessionId)
                    .then()
                    .statusCode(200)
                    .body("messages[0].content", equalTo("Check my calendar for tomorrow"))
                    .body("turns[0].outcome", equalTo("error"));
        } finally {
            noLlm.stop();
        }
    }

    @Test
    void badInputGetsProblemResponses() {
        given().contentType(ContentType.JSON)
                .body("{\"message\": ")
                .post(supervisor().url() + "/chat")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", ""))
                .post(supervisor().url() + "/chat")
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("message"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hi", "session_id", "bad id!"))
                .post(supervisor().url() + "/chat")
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hi", "agent", "no_such_agent"))
                .post(supervisor().url() + "/chat")
                .then()
                .statusCode(404)
                .body("type", containsString("agent-not-found"));
        given().get(supervisor().url() + "/sessions/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(containsString("application/problem+json"));
    }

    /**
     * Authentication across real processes: chat needs credentials; a user chats as itself and reads only its own
     * sessions; the internal services refuse callers without the service token (the supervisor's own calls to them,
     * which every other test makes, carry it); a login gives a JWT that works on every service.
     */
    @Test
    void authenticationHoldsAcrossTheSuite() {
        String registry = services.registry().url();
        String state = services.state().url();
        String prompts = services.prompts().url();
        given().header("Authorization", "")
                .contentType(ContentType.JSON)
                .body(Map.of("message", "hi"))
                .post(supervisor().url() + "/chat")
                .then()
                .statusCode(401)
                .contentType(containsString("application/problem+json"))
                .header("WWW-Authenticate", "Bearer");
        String user = "Bearer " + E2eAuth.USER_KEY;
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(4)
                .withRequestBody(containing("opening hours"))
                .willReturn(okJson(FakeOpenAi.completion("We open at 09:00 on weekdays."))));
        String sessionId = given().header("Authorization", user)
                .contentType(ContentType.JSON)
                .body(Map.of("message", "What are your opening hours?"))
                .post(supervisor().url() + "/chat")
                .then()
                .statusCode(200)
                .extract()
                .path("session_id");
        given().header("Authorization", user)
                .get(supervisor().url() + "/sessions/" + sessionId)
                .then()
                .statusCode(200)
                .body("user_id", equalTo(E2eAuth.USER));
        given().header("Authorization", user)
                .contentType(ContentType.JSON)
                .body(Map.of("message", "hi", "user_id", "someone-else"))
                .post(supervisor().url() + "/chat")
                .then()
                .statusCode(403);
        // the admin key reads anyone's session; the user key cannot use the internal services at all
        given().get(supervisor().url() + "/sessions/" + sessionId).then().statusCode(200);
        given().header("Authorization", "")
                .get(state + "/sessions/" + sessionId)
                .then()
                .statusCode(401);
        given().header("Authorization", user)
                .get(state + "/sessions/" + sessionId)
                .then()
                .statusCode(403);
        given().header("Authorization", user).get(registry + "/agents").then().statusCode(403);
        given().header("Authorization", user)
                .contentType(ContentType.JSON)
                .body(Map.of("content", "x"))
                .put(prompts + "/admin/prompts/faq-answer")
                .then()
                .statusCode(403);

        String access = given().header("Authorization", "")
                .contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", E2eAuth.ADMIN_PASSWORD))
                .post(supervisor().url() + "/api/v1/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
        given().header("Authorization", "Bearer " + access)
                .get(registry + "/agents")
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + access)
                .get(prompts + "/admin/prompts")
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + access)
                .get(supervisor().url() + "/system/stats")
                .then()
                .statusCode(200);
    }

    private static ServiceProcess supervisor() {
        return services.supervisor(0);
    }

    private static JsonPath chat(ServiceProcess target, Map<String, String> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post(target.url() + "/chat")
                .then()
                .statusCode(200)
                .body("session_id", notNullValue())
                .body("checkpoint_id", notNullValue())
                .extract()
                .jsonPath();
    }

    /** The newest model request for {@code message} carried the earlier turns as history. */
    private static void assertHistorySentToModel(String message, String... earlier) {
        List<LoggedRequest> calls = openAi.findAll(
                postRequestedFor(urlPathEqualTo("/v1/chat/completions")).withRequestBody(containing(message)));
        assertTrue(!calls.isEmpty(), "the model was called for: " + message);
        String body = calls.get(calls.size() - 1).getBodyAsString();
        for (String text : earlier) {
            assertTrue(body.contains(text), "history '" + text + "' missing from model request: " + body);
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static String toolCall(String id, String name, String arguments) {
        try {
            Map<String, Object> message = new HashMap<>();
            message.put("role", "assistant");
            message.put("content", null);
            message.put(
                    "tool_calls",
                    List.of(Map.of(
                            "id", id, "type", "function", "function", Map.of("name", name, "arguments", arguments))));
            Map<String, Object> choice = new HashMap<>();
            choice.put("index", 0);
            choice.put("finish_reason", "tool_calls");
            choice.put("message", message);
            return JSON.writeValueAsString(Map.of(
                    "id",
                    "chatcmpl-" + UUID.randomUUID(),
                    "object",
                    "chat.completion",
                    "created",
                    1_700_000_000,
                    "model",
                    "gpt-4o-mini",
                    "choices",
                    List.of(choice),
                    "usage",
                    Map.of("prompt_tokens", 80, "completion_tokens", 20, "total_tokens", 100)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
