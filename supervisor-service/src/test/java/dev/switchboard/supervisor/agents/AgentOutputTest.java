package dev.switchboard.supervisor.agents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.toolCallCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.text.StorableText;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What agents answer is stored, bounded and storable: text PostgreSQL cannot hold (U+0000, lone surrogates) from the
 * model, tools and remote agents becomes U+FFFD; a reply over {@code AGENT_REPLY_MAX_CHARS} is cut with a marker, a
 * {@code state_patch} over {@code AGENT_STATE_PATCH_MAX_BYTES} is dropped, a response over
 * {@code AGENT_RESPONSE_MAX_BYTES} is not read; each with the reason in the turn's metadata and the user's message
 * kept. Every turn sent to state-service fits its limits (1 MB body, 32000-character messages).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class AgentOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** JSON escapes (as they travel on the wire) of the characters PostgreSQL cannot store. */
    private static final String NUL = "\\u0000";

    private static final String LONE_SURROGATE = "\\ud800";
    private static final String FFFD = "\uFFFD";
    /** state-service's limits on a turn: request body and message content. */
    private static final int STATE_SERVICE_MAX_BODY = 1024 * 1024;

    private static final int STATE_SERVICE_MAX_CONTENT = 32000;

    @InjectPeers
    WireMockServer peers;

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    Pool pool;

    @BeforeEach
    void waitForAgentCache() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    private String remoteAgent(String name) {
        return PeersWireMockResource.stubRemoteAgent(peers, name);
    }

    private static Response chat(String agent, String session, String message) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("message", message, "session_id", session, "user_id", "u-" + session, "agent", agent))
                .post("/chat");
    }

    /** The one append of the session's turn, checked against state-service's own limits. */
    private JsonNode savedTurn(String session) throws Exception {
        List<LoggedRequest> appends = peers.findAll(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns")));
        assertEquals(1, appends.size(), "one append");
        byte[] body = appends.get(0).getBody();
        assertTrue(body.length < STATE_SERVICE_MAX_BODY, "the turn fits state-service's body limit: " + body.length);
        String text = new String(body, StandardCharsets.UTF_8);
        assertEquals(null, StorableText.findUnstorable(JSON.readTree(text)), "nothing unstorable is sent");
        JsonNode turn = JSON.readTree(text);
        for (JsonNode message : turn.path("messages")) {
            assertTrue(message.path("content").asText().length() <= STATE_SERVICE_MAX_CONTENT);
        }
        return turn;
    }

    private static JsonNode limit(JsonNode turn, String field) {
        for (JsonNode note : turn.path("metadata").path("output_limits")) {
            if (field.equals(note.path("field").asText())) {
                return note;
            }
        }
        throw new AssertionError("no output_limits entry for " + field + " in " + turn.path("metadata"));
    }

    @Test
    void anLlmReplyWithUnstorableCharactersIsStoredWithReplacements() throws Exception {
        String id = UUID.randomUUID().toString();
        String session = "s-llm-text-" + id;
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("before NUL after SURROGATE end")
                        .replace("NUL", NUL)
                        .replace("SURROGATE", LONE_SURROGATE))));

        String reply = chat("general_assistant_agent", session, "hello " + id)
                .then()
                .statusCode(200)
                .extract()
                .path("response");

        assertEquals("before " + FFFD + " after " + FFFD + " end", reply);
        JsonNode turn = savedTurn(session);
        assertEquals("ok", turn.path("outcome").asText());
        assertEquals("hello " + id, turn.path("messages").get(0).path("content").asText());
        assertEquals(reply, turn.path("messages").get(1).path("content").asText());
    }

    @Test
    void toolArgumentsAndResultsFromTheModelAreStoredWithReplacements() throws Exception {
        String id = UUID.randomUUID().toString();
        String session = "s-tool-text-" + id;
        LocalDate day = LocalDate.now()
                .plusWeeks(10 + ThreadLocalRandom.current().nextInt(40_000))
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.TUESDAY));
        String args = "{\"date\":\"" + day + "\",\"start_time\":\"11:00\",\"duration_minutes\":30,"
                + "\"name\":\"Ada NUL Lovelace\",\"contact\":\"ada@example.com\",\"notes\":\"SURROGATE\"}";
        // the arguments are JSON inside a JSON string: the NUL is escaped once more, so it reaches the tool as U+0000;
        // the surrogate is escaped once, so the model's raw arguments text itself holds it
        String toolCall = toolCallCompletion("call_1", "book_appointment", args)
                .replace("NUL", "\\" + NUL)
                .replace("SURROGATE", LONE_SURROGATE);
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .atPriority(5)
                .withRequestBody(containing(id))
                .willReturn(okJson(toolCall)));
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .atPriority(1)
                .withRequestBody(containing(id))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(okJson(textCompletion("Booked, NUL see you").replace("NUL", NUL))));
        try {
            chat("appointment_booking_agent", session, "book me in " + id)
                    .then()
                    .statusCode(200)
                    .body("response", equalTo("Booked, " + FFFD + " see you"));

            JsonNode call =
                    savedTurn(session).path("metadata").path("tool_calls").get(0);
            assertEquals("book_appointment", call.path("name").asText());
            assertTrue(call.path("arguments").asText().contains("\"notes\":\"" + FFFD + "\""), call.toString());
            String result = call.path("result").asText();
            assertTrue(result.startsWith("Booked: appointment"), "the booking reached the database: " + result);
            assertTrue(result.contains("Ada " + FFFD + " Lovelace"), result);
        } finally {
            pool.preparedQuery("DELETE FROM supervisor.appointments WHERE session_id = $1")
                    .execute(Tuple.of(session))
                    .await()
                    .atMost(Duration.ofSeconds(10));
        }
    }

    @Test
    void aRemoteAgentsUnstorableCharactersAreStoredAsReplacements() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "remote_text_" + id;
        String session = "s-remote-text-" + id;
        peers.stubFor(post(urlEqualTo(remoteAgent(name)))
                .willReturn(
                        okJson(("{\"reply\":\"a NUL b SURROGATE c\",\"state_patch\":{\"keyNUL\":\"value SURROGATE\","
                                        + "\"nested\":{\"list\":[\"x NUL\"]}}}")
                                .replace("NUL", NUL)
                                .replace("SURROGATE", LONE_SURROGATE))));

        chat(name, session, "hello")
                .then()
                .statusCode(200)
                .body("response", equalTo("a " + FFFD + " b " + FFFD + " c"));

        JsonNode turn = savedTurn(session);
        assertEquals("ok", turn.path("outcome").asText());
        assertEquals(
                "a " + FFFD + " b " + FFFD + " c",
                turn.path("messages").get(1).path("content").asText());
        assertEquals(
                "value " + FFFD, turn.path("state_patch").path("key" + FFFD).asText());
        assertEquals(
                "x " + FFFD,
                turn.path("state_patch").path("nested").path("list").get(0).asText());
    }

    @Test
    void aReplyOverTheLimitIsTruncatedWithAMarkerAndTheReasonRecorded() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "remote_long_" + id;
        String session = "s-remote-long-" + id;
        String longReply = "word ".repeat(8_000); // 40,000 characters
        peers.stubFor(post(urlEqualTo(remoteAgent(name)))
                .willReturn(
                        okJson(JSON.createObjectNode().put("reply", longReply).toString())));

        String reply = chat(name, session, "tell me everything")
                .then()
                .statusCode(200)
                .extract()
                .path("response");

        assertTrue(reply.length() <= 32_000, "at most AGENT_REPLY_MAX_CHARS: " + reply.length());
        assertTrue(reply.endsWith("[reply truncated]"), reply.substring(reply.length() - 40));
        assertTrue(longReply.startsWith(reply.substring(0, reply.length() - "[reply truncated]".length())
                .strip()));
        JsonNode turn = savedTurn(session);
        assertEquals("ok", turn.path("outcome").asText());
        assertEquals(
                "tell me everything",
                turn.path("messages").get(0).path("content").asText());
        assertEquals(reply, turn.path("messages").get(1).path("content").asText());
        JsonNode note = limit(turn, "reply");
        assertEquals("truncated", note.path("action").asText());
        assertEquals(40_000, note.path("size").asInt());
        assertEquals(32_000, note.path("limit").asInt());
        assertFalse(note.path("reason").asText().isBlank());
    }

    @Test
    void aStatePatchOverTheLimitIsDroppedAndTheReplyKept() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "remote_patch_" + id;
        String session = "s-remote-patch-" + id;
        ObjectNode body = JSON.createObjectNode().put("reply", "Noted everything.");
        body.putObject("state_patch").put("blob", "z".repeat(5 * 1024 * 1024)).put("small", "kept? no");
        peers.stubFor(post(urlEqualTo(remoteAgent(name))).willReturn(okJson(body.toString())));

        chat(name, session, "remember this").then().statusCode(200).body("response", equalTo("Noted everything."));

        JsonNode turn = savedTurn(session);
        assertEquals("ok", turn.path("outcome").asText());
        assertEquals(
                "remember this", turn.path("messages").get(0).path("content").asText());
        assertEquals(
                "Noted everything.",
                turn.path("messages").get(1).path("content").asText());
        assertTrue(
                turn.path("state_patch").isMissingNode()
                        || turn.path("state_patch").isNull(),
                "the patch is not applied");
        JsonNode note = limit(turn, "state_patch");
        assertEquals("dropped", note.path("action").asText());
        assertTrue(note.path("size").asLong() > 5 * 1024 * 1024);
        assertEquals(256 * 1024, note.path("limit").asInt());
    }

    @Test
    void aResponseOverTheSizeCapIsNotReadAndTheFailedTurnIsSaved() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "remote_huge_" + id;
        String path = remoteAgent(name);
        String huge = JSON.createObjectNode()
                .put("reply", "h".repeat(9 * 1024 * 1024))
                .toString();
        peers.stubFor(post(urlEqualTo(path)).willReturn(okJson(huge)));

        for (String session : List.of("s-remote-huge-" + id, "s-remote-huge-chunked-" + id)) {
            if (session.contains("chunked")) { // no Content-Length: the cap applies while reading
                peers.stubFor(post(urlEqualTo(path))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(huge)
                                .withChunkedDribbleDelay(20, 200)));
            }
            chat(name, session, "say a lot")
                    .then()
                    .statusCode(502)
                    .body("type", equalTo("https://switchboard.dev/problems/agent-failed"));
            JsonNode turn = savedTurn(session);
            assertEquals("error", turn.path("outcome").asText());
            assertEquals(
                    "say a lot", turn.path("messages").get(0).path("content").asText());
            assertTrue(
                    turn.path("error").asText().contains("bytes"),
                    turn.path("error").asText());
        }
    }
}
