package dev.switchboard.supervisor.api.a2a;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.A2aTestServer;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.a2a.spec.Message;
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
 * A2A both ways: the supervisor calls a {@code kind: a2a} agent (a real A2A server built from the A2A Java SDK's
 * server classes) with {@code message/send}; it publishes its own Agent Card and answers {@code message/send} itself.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class A2aAgentTest {

    @InjectPeers
    WireMockServer peers;

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @BeforeEach
    void waitForAgentCache() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    @Test
    void callsAnA2aAgentWithMessageSend() throws Exception {
        try (A2aTestServer server = A2aTestServer.start(m -> "echo: " + A2aTestServer.text(m))) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            String name = "a2a_echo_" + id;
            String session = "s-a2a-" + id;
            ObjectNode agent = PeersWireMockResource.agent(
                    name, "Echo agent over A2A", null, "active", false, List.of("echo"), List.of("say hello back"));
            agent.put("kind", "a2a").put("endpoint", server.url());
            peers.stubFor(get(urlPathEqualTo("/agents/" + name)).willReturn(okJson(agent.toString())));

            given().contentType(ContentType.JSON)
                    .body(Map.of(
                            "message", "hello over a2a", "session_id", session, "user_id", "u-" + id, "agent", name))
                    .post("/chat")
                    .then()
                    .statusCode(200)
                    .body("response", equalTo("echo: hello over a2a"))
                    .body("agent", equalTo(name));

            assertEquals(1, server.received().size());
            Message sent = server.received().get(0);
            assertEquals(session, sent.getContextId(), "the session is the A2A context");
            assertEquals(Message.Role.USER, sent.getRole());
            @SuppressWarnings("unchecked")
            Map<String, Object> context =
                    (Map<String, Object>) sent.getMetadata().get("switchboard");
            assertEquals(session, context.get("session_id"));
            assertEquals("u-" + id, context.get("user_id"));
            peers.verify(postRequestedFor(urlEqualTo("/sessions/" + session + "/turns"))
                    .withRequestBody(containing("echo: hello over a2a")));
        }
    }

    @Test
    void anUnreachableA2aAgentIsAProblemAndASavedFailedTurn() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "a2a_down_" + id;
        String session = "s-a2a-down-" + id;
        ObjectNode agent = PeersWireMockResource.agent(name, "Gone", null, "active", false, List.of("x"), List.of("x"));
        agent.put("kind", "a2a").put("endpoint", "http://127.0.0.1:9/");
        peers.stubFor(get(urlPathEqualTo("/agents/" + name)).willReturn(okJson(agent.toString())));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "anyone there?", "session_id", session, "user_id", "u-" + id, "agent", name))
                .post("/chat")
                .then()
                .statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/agent-failed"));
        peers.verify(
                1,
                postRequestedFor(urlEqualTo("/sessions/" + session + "/turns"))
                        .withRequestBody(containing("\"outcome\":\"error\"")));
    }

    @Test
    void publishesItsAgentCardWithTheActiveAgentsAsSkills() {
        given().get("/.well-known/agent-card.json")
                .then()
                .statusCode(200)
                .body("protocolVersion", equalTo("0.3.0"))
                .body("name", equalTo("Switchboard supervisor"))
                .body("url", org.hamcrest.Matchers.endsWith("/a2a"))
                .body("preferredTransport", equalTo("JSONRPC"))
                .body(
                        "skills.id",
                        containsInAnyOrder(
                                "appointment_booking_agent",
                                "calendar_checker_agent",
                                "general_assistant_agent",
                                "lead_qualification_agent"))
                .body("skills.id", not(hasItem(PeersWireMockResource.INACTIVE_AGENT)))
                .body(
                        "skills.find { it.id == 'calendar_checker_agent' }.tags",
                        containsInAnyOrder("calendar", "availability_check"));
    }

    @Test
    void answersMessageSendAsAnA2aAgent() {
        String id = UUID.randomUUID().toString();
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Hello from the supervisor"))));
        String request = """
                {"jsonrpc":"2.0","id":7,"method":"message/send","params":{"message":{"kind":"message","role":"user",
                 "messageId":"m-1","contextId":"ctx-%s","parts":[{"kind":"text","text":"hi there, good morning %s"}],
                 "metadata":{"user_id":"u-%s"}}}}""".formatted(id.substring(0, 8), id, id.substring(0, 8));
        given().contentType(ContentType.JSON)
                .body(request)
                .post("/a2a")
                .then()
                .statusCode(200)
                .body("jsonrpc", equalTo("2.0"))
                .body("id", equalTo(7))
                .body("result.kind", equalTo("message"))
                .body("result.role", equalTo("agent"))
                .body("result.contextId", equalTo("ctx-" + id.substring(0, 8)))
                .body("result.parts[0].text", equalTo("Hello from the supervisor"));
        given().contentType(ContentType.JSON)
                .body("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"tasks/get\",\"params\":{}}")
                .post("/a2a")
                .then()
                .statusCode(200)
                .body("error.code", equalTo(-32601))
                .body("id", equalTo("x"));
        given().contentType(ContentType.JSON)
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\","
                        + "\"params\":{\"message\":{\"parts\":[]}}}")
                .post("/a2a")
                .then()
                .statusCode(200)
                .body("error.code", equalTo(-32602));
    }
}
