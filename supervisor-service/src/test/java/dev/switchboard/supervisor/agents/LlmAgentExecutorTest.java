package dev.switchboard.supervisor.agents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.toolCallCompletion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.langchain4j.model.chat.ChatModel;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentReply.ToolCallRecord;
import dev.switchboard.supervisor.crm.calendar.BookingRequest;
import dev.switchboard.supervisor.crm.calendar.CalendarService;
import dev.switchboard.supervisor.crm.calendar.CalendarTools;
import dev.switchboard.supervisor.routing.LlmRouter;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM agent path against a fake OpenAI (WireMock) and the real calendar in PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
class LlmAgentExecutorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentExecutors executor;

    @Inject
    LlmRouter router;

    @Inject
    CalendarService calendar;

    @Inject
    CalendarTools calendarTools;

    @Inject
    AgentToolRegistry toolRegistry;

    @Inject
    ChatModel chatModel;

    @Inject
    Pool pool;

    private String marker;
    private String sessionId;
    private LocalDate monday;
    private final List<String> sessions = new ArrayList<>();

    @BeforeEach
    void setUp() {
        openAi.resetAll();
        marker = "m-" + UUID.randomUUID();
        sessionId = session();
        monday = LocalDate.now(calendar.zone())
                .plusWeeks(10 + ThreadLocalRandom.current().nextInt(40_000))
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    @AfterEach
    void deleteOwnAppointments() {
        pool.preparedQuery("DELETE FROM supervisor.appointments WHERE session_id = ANY($1)")
                .execute(Tuple.of(sessions.toArray(String[]::new)))
                .await()
                .atMost(WAIT);
    }

    private String session() {
        String id = "exec-test-" + UUID.randomUUID();
        sessions.add(id);
        return id;
    }

    private static AgentDescriptor llmAgent(String name, List<String> tools) {
        return new AgentDescriptor(
                name,
                "test agent",
                List.of("calendar"),
                "1.0.0",
                "active",
                "llm",
                "p",
                new AgentDescriptor.ModelSettings(null, 0.2, 300),
                tools,
                null,
                List.of(),
                Map.of(),
                false);
    }

    private AgentRequest request(AgentDescriptor agent, String session, String message) {
        return new AgentRequest(
                agent,
                session,
                "u-1",
                message + " [" + marker + "]",
                List.of(
                        new AgentRequest.HistoryMessage("user", "Hello"),
                        new AgentRequest.HistoryMessage("assistant", "Hi, how can I help?")),
                "You are the calendar checker.");
    }

    /** First call: the tool call; once the request carries a tool result: the text answer. */
    private void stubToolThenText(String toolName, String argumentsJson, String finalText) {
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .atPriority(5)
                .withRequestBody(containing(marker))
                .willReturn(okJson(toolCallCompletion("call_1", toolName, argumentsJson))));
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .atPriority(1)
                .withRequestBody(containing(marker))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(okJson(textCompletion(finalText))));
    }

    private List<LoggedRequest> modelRequests() {
        return openAi.findAll(postRequestedFor(urlPathEqualTo(CHAT_COMPLETIONS)).withRequestBody(containing(marker)));
    }

    private static JsonNode body(LoggedRequest request) throws Exception {
        return JSON.readTree(request.getBodyAsString());
    }

    @Test
    void answersWithFreeSlotsFromTheCalendarTool() throws Exception {
        assertTrue(calendar.bookAppointment(
                        new BookingRequest(monday, LocalTime.of(10, 0), 30, "Grace", "g@example.com", null, sessionId))
                .await()
                .atMost(WAIT)
                .isBooked());
        String args = "{\"start_date\":\"" + monday + "\",\"end_date\":\"" + monday.plusDays(1) + "\"}";
        stubToolThenText("check_availability", args, "Monday 09:00 is free.");

        AgentReply reply = executor.execute(request(
                        llmAgent("calendar_checker_agent", List.of("check_availability", "no_such_tool")),
                        sessionId,
                        "When are you free?"))
                .await()
                .atMost(WAIT);

        assertEquals("Monday 09:00 is free.", reply.text());
        assertEquals(1, reply.toolCalls().size());
        ToolCallRecord call = reply.toolCalls().get(0);
        assertEquals("check_availability", call.name());
        assertEquals(args, call.arguments());
        assertEquals(
                calendarTools.checkAvailability(
                        monday.toString(), monday.plusDays(1).toString()),
                call.result());
        assertEquals(84, reply.inputTokens());
        assertEquals(14, reply.outputTokens());

        List<LoggedRequest> requests = modelRequests();
        assertEquals(2, requests.size());
        JsonNode first = body(requests.get(0));
        assertEquals(1, first.get("tools").size(), "only the agent's known tools are offered");
        assertEquals("check_availability", first.at("/tools/0/function/name").asText());
        assertTrue(first.at("/tools/0/function/parameters/properties").has("start_date"));
        assertEquals(0.2, first.get("temperature").asDouble());
        JsonNode messages = first.get("messages");
        assertEquals(
                List.of("system", "user", "assistant", "user"),
                List.of(
                        messages.get(0).get("role").asText(),
                                messages.get(1).get("role").asText(),
                        messages.get(2).get("role").asText(),
                                messages.get(3).get("role").asText()));
        assertEquals(
                "You are the calendar checker.", messages.get(0).get("content").asText());

        JsonNode second = body(requests.get(1)).get("messages");
        JsonNode toolMessage = second.get(second.size() - 1);
        assertEquals("tool", toolMessage.get("role").asText());
        assertEquals("call_1", toolMessage.get("tool_call_id").asText());
        String slots = toolMessage.get("content").asText();
        assertEquals(call.result(), slots);
        // the real calendar: Monday's 10:00 slot is booked, Tuesday is fully free
        assertTrue(slots.contains(monday + " Mon: 09:00 09:30 10:30 11:00"), slots);
        assertTrue(slots.contains(monday.plusDays(1) + " Tue: 09:00 09:30 10:00 10:30"), slots);
    }

    @Test
    void booksThroughTheModelAndRefusesTheSameSlotTwice() {
        String args = "{\"date\":\"" + monday.plusDays(2) + "\",\"start_time\":\"11:00\",\"duration_minutes\":30,"
                + "\"name\":\"Ada Lovelace\",\"contact\":\"ada@example.com\",\"notes\":\"demo\"}";
        stubToolThenText("book_appointment", args, "Done.");
        AgentDescriptor agent =
                llmAgent("appointment_booking_agent", List.of("check_availability", "book_appointment"));

        AgentReply first = executor.execute(request(agent, sessionId, "Book me in"))
                .await()
                .atMost(WAIT);
        String otherSession = session();
        AgentReply second = executor.execute(request(agent, otherSession, "Book me in too"))
                .await()
                .atMost(WAIT);

        assertTrue(
                first.toolCalls().get(0).result().startsWith("Booked: appointment "),
                first.toolCalls().toString());
        String refusal = second.toolCalls().get(0).result();
        assertEquals("Not booked: That time is already booked", refusal);
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT id, session_id, contact_name, contact, notes, status, starts_at"
                        + " FROM supervisor.appointments WHERE session_id = ANY($1)")
                .execute(Tuple.of(new String[] {sessionId, otherSession}))
                .await()
                .atMost(WAIT)
                .forEach(rows::add);
        assertEquals(1, rows.size());
        Row row = rows.get(0);
        assertEquals(sessionId, row.getString("session_id"));
        assertEquals("Ada Lovelace", row.getString("contact_name"));
        assertEquals("ada@example.com", row.getString("contact"));
        assertEquals("booked", row.getString("status"));
        assertEquals(
                monday.plusDays(2).atTime(11, 0).atZone(calendar.zone()).toInstant(),
                row.getOffsetDateTime("starts_at").toInstant());
        assertTrue(first.toolCalls().get(0).result().contains(row.getUUID("id").toString()));
        // the refusal reached the model as the tool result
        JsonNode lastRequest = bodyUnchecked(modelRequests().get(3));
        JsonNode messages = lastRequest.get("messages");
        assertEquals(refusal, messages.get(messages.size() - 1).get("content").asText());
    }

    private static JsonNode bodyUnchecked(LoggedRequest request) {
        try {
            return body(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void failingToolReturnsAnErrorTextInsteadOfFailingTheTurn() {
        stubToolThenText("book_appointment", "{\"date\":\"" + monday + "\"}", "Sorry, I need more details.");

        AgentReply reply = executor.execute(
                        request(llmAgent("appointment_booking_agent", List.of("book_appointment")), sessionId, "Book"))
                .await()
                .atMost(WAIT);

        assertEquals("Sorry, I need more details.", reply.text());
        assertTrue(
                reply.toolCalls().get(0).result().startsWith("Error: invalid arguments for book_appointment"),
                reply.toolCalls().get(0).result());
    }

    @Test
    void modelFailureBecomes502AfterTheConfiguredAttempts() {
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}")));

        Throwable failure = assertThrows(
                RuntimeException.class,
                () -> executor.execute(request(llmAgent("calendar_checker_agent", List.of()), sessionId, "hi"))
                        .await()
                        .atMost(WAIT));

        AgentExecutionException problem = assertInstanceOf(AgentExecutionException.class, failure);
        assertEquals(502, problem.status());
        assertEquals("https://switchboard.dev/problems/agent-failed", problem.type());
        assertFalse(problem.getMessage().contains("boom"), "no internals in the detail");
        int retries = ConfigProvider.getConfig().getValue("quarkus.langchain4j.openai.max-retries", Integer.class);
        assertEquals(1 + retries, modelRequests().size(), "the first attempt plus the configured retries");
    }

    @Test
    void slowModelBecomes504() {
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(textCompletion("late")).withFixedDelay(1_500)));
        LlmAgentExecutor impatient = new LlmAgentExecutor(
                () -> chatModel, new LlmAvailability(true), toolRegistry, 5, Duration.ofMillis(300));

        Throwable failure = assertThrows(
                RuntimeException.class,
                () -> impatient
                        .execute(request(llmAgent("calendar_checker_agent", List.of()), sessionId, "hi"))
                        .await()
                        .atMost(WAIT));

        assertEquals(504, assertInstanceOf(AgentTimeoutException.class, failure).status());
        // let the abandoned background call finish before Quarkus may shut down (keeps the log clean)
        Awaitility.await()
                .pollDelay(Duration.ofMillis(1_600))
                .atMost(Duration.ofSeconds(5))
                .until(() -> true);
    }

    @Test
    void endlessToolCallsFailAfterMaxToolRounds() {
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(toolCallCompletion(
                        "call_x",
                        "check_availability",
                        "{\"start_date\":\"" + monday + "\",\"end_date\":\"" + monday + "\"}"))));
        LlmAgentExecutor twoRounds =
                new LlmAgentExecutor(() -> chatModel, new LlmAvailability(true), toolRegistry, 2, WAIT);

        Throwable failure = assertThrows(
                RuntimeException.class,
                () -> twoRounds
                        .execute(request(
                                llmAgent("calendar_checker_agent", List.of("check_availability")), sessionId, "hi"))
                        .await()
                        .atMost(WAIT));

        assertEquals(
                502, assertInstanceOf(AgentExecutionException.class, failure).status());
        assertEquals(3, modelRequests().size());
    }

    @Test
    void remoteAgentIsCalledOverHttp() throws Exception {
        String path = "/remote/" + marker;
        openAi.stubFor(post(urlPathEqualTo(path)).willReturn(okJson("{\"reply\":\"Hello from afar\"}")));
        AgentDescriptor agent = new AgentDescriptor(
                "remote_agent_" + marker,
                "far away",
                List.of(),
                "1",
                "active",
                "remote",
                null,
                null,
                List.of(),
                openAi.baseUrl() + path,
                List.of(),
                Map.of(),
                false);

        AgentReply reply = executor.execute(new AgentRequest(
                        agent,
                        sessionId,
                        "u-9",
                        "Hi there",
                        List.of(new AgentRequest.HistoryMessage("user", "earlier")),
                        null))
                .await()
                .atMost(WAIT);

        assertEquals("Hello from afar", reply.text());
        JsonNode sent =
                body(openAi.findAll(postRequestedFor(urlPathEqualTo(path))).get(0));
        assertEquals("Hi there", sent.get("message").asText());
        assertEquals(sessionId, sent.get("session_id").asText());
        assertEquals("u-9", sent.get("user_id").asText());
        assertEquals("earlier", sent.at("/history/0/content").asText());
        assertEquals("user", sent.at("/history/0/role").asText());
    }

    @Test
    void remoteAgentFailureBecomes502() {
        String path = "/remote/" + marker;
        openAi.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500)));
        // a name of its own: the failure counts in this agent's own breaker (per name and version), no other test's
        AgentDescriptor agent = new AgentDescriptor(
                "broken_remote_agent_" + marker,
                "",
                List.of(),
                "1",
                "active",
                "remote",
                null,
                null,
                List.of(),
                openAi.baseUrl() + path,
                List.of(),
                Map.of(),
                false);

        Throwable failure = assertThrows(
                RuntimeException.class,
                () -> executor.execute(new AgentRequest(agent, sessionId, null, "Hi", List.of(), null))
                        .await()
                        .atMost(WAIT));

        assertEquals(
                502, assertInstanceOf(AgentExecutionException.class, failure).status());
        // a turn is not idempotent, so an agent that answered (even 500) is not called again; retries
        // are only for requests that never reached it (connection refused, unknown host)
        assertEquals(1, openAi.findAll(postRequestedFor(urlPathEqualTo(path))).size(), "no retry after an answer");
    }

    @Test
    void llmRouterPicksTheNamedAgent() throws Exception {
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(textCompletion("\"Calendar_Checker_Agent\"."))));

        Optional<String> choice = router.chooseAgent(
                        "Route this: " + marker, Set.of("calendar_checker_agent", "general_assistant_agent"))
                .await()
                .atMost(WAIT);

        assertEquals(Optional.of("calendar_checker_agent"), choice);
        JsonNode sent = body(modelRequests().get(0));
        assertEquals("system", sent.at("/messages/0/role").asText());
        assertEquals("Route this: " + marker, sent.at("/messages/0/content").asText());
        assertNotNull(sent.get("temperature"));
    }

    @Test
    void llmRouterIsEmptyOnUnknownAnswerOrFailure() {
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker + "-unknown"))
                .willReturn(okJson(textCompletion("weather_agent"))));
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker + "-fail"))
                .willReturn(aResponse().withStatus(500)));
        Set<String> agents = Set.of("calendar_checker_agent");

        assertEquals(
                Optional.empty(),
                router.chooseAgent(marker + "-unknown", agents).await().atMost(WAIT));
        assertEquals(
                Optional.empty(),
                router.chooseAgent(marker + "-fail", agents).await().atMost(WAIT));
        assertEquals(
                1,
                openAi.findAll(postRequestedFor(urlPathEqualTo(CHAT_COMPLETIONS))
                                .withRequestBody(containing(marker + "-unknown")))
                        .size());
    }

    @Test
    void staticAccessorExposesTheSameServer() {
        assertEquals(openAi.port(), OpenAiWireMockResource.server().port());
    }
}
