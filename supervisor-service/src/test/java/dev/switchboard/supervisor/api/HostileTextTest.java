package dev.switchboard.supervisor.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.switchboard.common.test.HostileInput.assertProblem;
import static dev.switchboard.common.test.HostileInput.deepNesting;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.HostileInput.Kind;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hostile text at the edge of every public API: U+0000 and lone surrogates are 400 {@code invalid-text} naming the
 * field, non-string JSON where text is expected is 400 {@code malformed-request} naming the field, deep nesting is
 * 400, an oversized body 413 {@code payload-too-large}; none of it reaches a peer or becomes a 5xx.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class HostileTextTest {

    /** JSON escapes (as sent on the wire) of the characters PostgreSQL cannot store. */
    private static final String NUL = "\\u0000";

    private static final String LONE_SURROGATE = "\\ud800";

    @InjectPeers
    WireMockServer peers;

    private static ValidatableResponse post(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).post(path).then();
    }

    private static void invalidText(ValidatableResponse response, String field) {
        assertProblem(response, 400, "invalid-text", field).body("detail", containsString(field));
    }

    /** Requests the peers received, apart from this replica's own heartbeats (every 5 s, whatever a test does). */
    private int peerCalls() {
        return (int) peers.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(request -> !request.getUrl().matches("/supervisors/[^/?]+/heartbeat"))
                .count();
    }

    @Test
    void chatRefusesUnstorableTextInEveryFieldAndNeverCallsStateService() {
        String id = UUID.randomUUID().toString();
        int before = peerCalls();

        invalidText(post("/chat", "{\"message\":\"hi " + NUL + " there\",\"user_id\":\"u-" + id + "\"}"), "message");
        invalidText(
                post("/chat", "{\"message\":\"hi " + LONE_SURROGATE + "\",\"user_id\":\"u-" + id + "\"}"), "message");
        invalidText(post("/chat", "{\"message\":\"hi\",\"session_id\":\"s" + NUL + "\"}"), "session_id");
        invalidText(post("/chat", "{\"message\":\"hi\",\"user_id\":\"u" + LONE_SURROGATE + "\"}"), "user_id");
        invalidText(post("/chat", "{\"message\":\"hi\",\"agent\":\"a" + NUL + "\"}"), "agent");
        invalidText(
                post("/chat", "{\"message\":\"hi\",\"multitask_strategy\":\"" + LONE_SURROGATE + "\"}"),
                "multitask_strategy");

        assertEquals(before, peerCalls(), "refused text never reaches a peer");
    }

    @Test
    void chatRefusesNonStringMessagesNamingTheField() {
        for (String value : new String[] {"42", "true", "{\"text\":\"hi\"}", "[\"hi\"]"}) {
            assertProblem(post("/chat", "{\"message\":" + value + "}"), 400, "malformed-request", "message");
        }
    }

    @Test
    void deepNestingAndOversizedBodiesAreRefusedBeforeTheyAreRead() {
        assertProblem(
                post("/chat", "{\"message\":\"hi\",\"extra\":" + deepNesting(Kind.TEXT) + "}"),
                400,
                "malformed-request");
        assertProblem(
                post(
                        "/a2a",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"params\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100)
                                + "}"),
                400,
                "malformed-request");

        String big = "{\"message\":\"" + "x".repeat(1024 * 1024 + 1) + "\"}";
        assertProblem(post("/chat", big), 413, "payload-too-large");
    }

    @Test
    void routeAndAgentStatusRefuseUnstorableText() {
        int before = peerCalls();
        invalidText(post("/route", "{\"message\":\"where " + NUL + "\"}"), "message");
        invalidText(
                post("/agents/general_assistant_agent/status", "{\"status\":\"active" + LONE_SURROGATE + "\"}"),
                "status");
        assertEquals(before, peerCalls(), "the registry is not asked");
    }

    @Test
    void a2aRefusesUnstorableTextInMessageParts() {
        int before = peerCalls();
        invalidText(
                post(
                        "/a2a",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":"
                                + "{\"kind\":\"message\",\"role\":\"user\",\"messageId\":\"m1\",\"parts\":[{\"kind\":\"text\","
                                + "\"text\":\"free " + NUL + " tomorrow?\"}]}}}"),
                "params.message.parts.[0].text");
        invalidText(
                post(
                        "/a2a",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":"
                                + "{\"kind\":\"message\",\"role\":\"user\",\"messageId\":\"m1\",\"contextId\":\"c"
                                + LONE_SURROGATE
                                + "\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi\"}]}}}"),
                "params.message.contextId");
        assertEquals(before, peerCalls());
    }

    @Test
    void a2aRefusesATextPartThatIsNotAString() {
        post(
                        "/a2a",
                        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":{\"message\":"
                                + "{\"kind\":\"message\",\"role\":\"user\",\"messageId\":\"m1\",\"parts\":[{\"kind\":\"text\","
                                + "\"text\":42}]}}}")
                .statusCode(200)
                .body("id", equalTo(7))
                .body("error.code", equalTo(-32602));
    }

    @Test
    void authBodiesRefuseUnstorableText() {
        invalidText(
                post("/api/v1/auth/login", "{\"username\":\"ada" + NUL + "\",\"password\":\"secret\"}"), "username");
        invalidText(post("/api/v1/auth/refresh", "{\"refresh_token\":\"t" + LONE_SURROGATE + "\"}"), "refresh_token");
        invalidText(
                post(
                        "/api/v1/auth/users",
                        "{\"username\":\"ada\",\"password\":\"long enough " + LONE_SURROGATE + " password\"}"),
                "password");
        invalidText(
                post(
                        "/api/v1/auth/users",
                        "{\"username\":\"ada\",\"password\":\"long enough password\"," + "\"roles\":[\"user\",\"ad"
                                + NUL + "min\"]}"),
                "roles.[1]");
    }

    @Test
    void pathAndQueryParametersRefuseUnstorableText() {
        int before = peerCalls();
        assertProblem(given().urlEncodingEnabled(false).get("/sessions/s-1%00x").then(), 400, "invalid-text", "id");
        assertProblem(
                given().urlEncodingEnabled(false).get("/sessions/user/u%00").then(), 400, "invalid-text", "user_id");
        assertProblem(
                given().urlEncodingEnabled(false)
                        .get("/webhooks/queue?status=failed%00")
                        .then(),
                400,
                "invalid-text",
                "status");
        assertProblem(
                given().urlEncodingEnabled(false)
                        .contentType(ContentType.JSON)
                        .body("{\"status\":\"active\"}")
                        .post("/agents/a%00b/status")
                        .then(),
                400,
                "invalid-text",
                "name");
        assertEquals(before, peerCalls());
    }
}
