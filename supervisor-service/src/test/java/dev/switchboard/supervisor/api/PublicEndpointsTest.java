package dev.switchboard.supervisor.api;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /health}, {@code GET /agents}, the proxied session and status endpoints, and readiness. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class PublicEndpointsTest {

    private static final String PROBLEM = "application/problem+json";

    @InjectPeers
    WireMockServer peers;

    @Inject
    AgentCache cache;

    @BeforeEach
    void waitForAgentCache() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    @Test
    void healthHasTheSeedShape() {
        String timestamp = given().get("/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("healthy"))
                .body("agents_available", equalTo(4))
                .body("supervisor_status", equalTo("available"))
                .body("timestamp", notNullValue())
                .extract()
                .path("timestamp");
        Instant.parse(timestamp);
    }

    @Test
    void agentsHaveTheSeedMapShape() {
        given().get("/agents")
                .then()
                .statusCode(200)
                .body(
                        "agents.keySet()",
                        hasItems(
                                "appointment_booking_agent",
                                "calendar_checker_agent",
                                "general_assistant_agent",
                                "lead_qualification_agent",
                                PeersWireMockResource.INACTIVE_AGENT))
                .body("agents.calendar_checker_agent.description", notNullValue())
                .body("agents.calendar_checker_agent.capabilities", contains("calendar", "availability_check"))
                .body("agents.calendar_checker_agent.status", equalTo("active"))
                .body("agents.calendar_checker_agent.version", equalTo("1.0.0"))
                .body("agents.calendar_checker_agent.keySet()", hasSize(4))
                .body("agents." + PeersWireMockResource.INACTIVE_AGENT + ".status", equalTo("inactive"));
    }

    @Test
    void returns404ProblemForUnknownSession() {
        given().get("/sessions/unknown-" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/session-not-found"))
                .body("status", equalTo(404));
    }

    @Test
    void returns400ProblemForMalformedSessionId() {
        given().get("/sessions/bad id")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"));
    }

    @Test
    void proxiesSessionAndUserSessions() {
        String session = "s-" + UUID.randomUUID();
        peers.stubFor(get(urlPathEqualTo("/sessions/" + session))
                .willReturn(okJson("{\"session_id\":\"" + session
                        + "\",\"user_id\":\"u1\",\"version\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"agent\":null,"
                        + "\"turn_id\":\"t-1\",\"timestamp\":\"2026-11-21T12:00:00Z\",\"metadata\":{}}],\"turns\":[{\"turn_id\":\"t-1\","
                        + "\"agent\":\"general_assistant_agent\",\"routing\":{\"method\":\"semantic\",\"score\":0.82},\"outcome\":\"ok\","
                        + "\"checkpoint_id\":\"c-1\",\"created_at\":\"2026-11-21T12:00:00Z\"}],\"state\":{\"k\":\"v\"},\"metadata\":{},"
                        + "\"created_at\":\"2026-11-21T12:00:00Z\",\"updated_at\":\"2026-11-21T12:00:00Z\",\"last_checkpoint_id\":\"c-1\","
                        + "\"recovered\":false}")));

        given().get("/sessions/" + session)
                .then()
                .statusCode(200)
                .body("session_id", equalTo(session))
                .body("version", equalTo(3))
                .body("messages[0].turn_id", equalTo("t-1"))
                .body("turns[0].routing.method", equalTo("semantic"))
                .body("state.k", equalTo("v"))
                .body("last_checkpoint_id", equalTo("c-1"));

        given().get("/sessions/user/u-" + session)
                .then()
                .statusCode(200)
                .body("user_id", equalTo("u-" + session))
                .body("sessions", hasSize(0));
    }

    @Test
    void proxiesAgentStatusChangeToTheRegistry() {
        String agent = "lead_qualification_agent";
        peers.stubFor(post(urlEqualTo("/agents/" + agent + "/status"))
                .willReturn(okJson(PeersWireMockResource.agent(
                                agent,
                                "Qualifies a lead",
                                "lead-qualification-system",
                                "draining",
                                false,
                                List.of("sales"),
                                List.of())
                        .toString())));

        given().contentType(ContentType.JSON)
                .body(Map.of("status", "draining"))
                .post("/agents/" + agent + "/status")
                .then()
                .statusCode(200)
                .body("name", equalTo(agent))
                .body("status", equalTo("draining"));
        peers.verify(postRequestedFor(urlEqualTo("/agents/" + agent + "/status"))
                .withRequestBody(WireMock.equalToJson("{\"status\":\"draining\"}")));

        given().contentType(ContentType.JSON)
                .body(Map.of("status", "inactive"))
                .post("/agents/no_such_agent/status")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/agent-not-found"));
    }

    @Test
    void readinessReportsEachDependency() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(
                        "checks.name",
                        hasItems(
                                "Redis connection health check",
                                "Reactive PostgreSQL connections health check",
                                "agent-registry-cache",
                                "state-service",
                                "prompt-service"))
                .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'agent-registry-cache' }.data.active_agents", equalTo(4));
    }
}
