package dev.switchboard.supervisor.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /system/stats} (cluster-wide, instances from the registry fake) and the Prometheus metrics of a turn. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class SystemStatsTest {

    private static final String AGENT = "general_assistant_agent";

    @InjectPeers
    WireMockServer peers;

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void waitForAgentCache() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    /** One chat with the explicit agent (a unique user each: the test rate limit is per user). */
    private void chat(String id, int expectedStatus) {
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "Hello stats " + id, "user_id", "u-" + id, "agent", AGENT))
                .post("/chat")
                .then()
                .statusCode(expectedStatus);
    }

    private String okChat() {
        String id = UUID.randomUUID().toString();
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(textCompletion("Hello from stats"))));
        chat(id, 200);
        return id;
    }

    @Test
    void statsHaveTheSeedShapeWithInstancesFromTheRegistry() {
        JsonPath stats = given().get("/system/stats")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("timestamp", notNullValue())
                .body("supervisor_id", notNullValue())
                .body("instances.id", hasItems("sup-a", "sup-b"))
                .body("instances.find { it.id == 'sup-a' }.status", equalTo("up"))
                .body("instances.find { it.id == 'sup-a' }.last_heartbeat", equalTo("2026-11-21T12:00:00Z"))
                .body("instances.find { it.id == 'sup-b' }.status", equalTo("stale"))
                .body("instances_up", equalTo(1))
                // only up instances count: sup-b's 7 sessions are not in the sum
                .body("sessions_active", equalTo(3))
                .body("messages_per_second", notNullValue())
                .body("turns_last_minute", greaterThanOrEqualTo(0))
                .body("agents.total", equalTo(5))
                .body("agents.by_status.active", equalTo(4))
                .body("agents.by_status.inactive", equalTo(1))
                .body("agents.by_status.draining", equalTo(0))
                .body("agents.by_status.unhealthy", equalTo(0))
                .body("routing.by_method", notNullValue())
                .body("routing.by_agent", notNullValue())
                .body("errors.total", greaterThanOrEqualTo(0))
                .body("errors.by_type", notNullValue())
                .body("window_seconds", equalTo(60))
                .extract()
                .jsonPath();
        assertTrue(Instant.parse(stats.getString("timestamp"))
                .isAfter(Instant.now().minusSeconds(60)));
        assertTrue(stats.getMap("$").get("warnings") == null, "every source answered");
    }

    @Test
    void statsCountTheChatsOfTheLastMinuteWithRoutingAndErrors() {
        for (int i = 0; i < 3; i++) {
            okChat();
        }
        String failing = UUID.randomUUID().toString();
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(failing))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}")));
        chat(failing, 502);

        // recorded fire-and-forget after each turn: wait until the counters show the four turns
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> given().get("/system/stats")
                        .then()
                        .statusCode(200)
                        .body("turns_last_minute", greaterThanOrEqualTo(4))
                        .body("routing.by_method.explicit", greaterThanOrEqualTo(4))
                        .body("routing.by_agent." + AGENT, greaterThanOrEqualTo(4))
                        .body("errors.total", greaterThanOrEqualTo(1))
                        .body("errors.by_type.agent-failed", greaterThanOrEqualTo(1)));
        float perSecond = given().get("/system/stats").then().extract().path("messages_per_second");
        assertTrue(perSecond >= 4 / 60.0 - 0.01, "messages_per_second " + perSecond);
        // the bucket of the current second exists in Redis with a TTL
        assertTrue(!redis.key().keys("sb:supervisor:stats:*").isEmpty());
    }

    @Test
    void registryDownLeavesThisReplicaAsTheOnlyInstance() {
        try {
            peers.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/supervisors"))
                    .atPriority(1)
                    .willReturn(PeersWireMockResource.problem(500, "internal-error", "Internal error", "boom")));
            given().get("/system/stats")
                    .then()
                    .statusCode(200)
                    .body("instances.size()", equalTo(1))
                    .body("instances[0].status", equalTo("up"))
                    .body("instances_up", equalTo(1))
                    .body("warnings[0]", containsString("agent-registry"));
        } finally {
            peers.resetAll();
            PeersWireMockResource.stubDefaults(peers);
        }
    }

    @Test
    void prometheusShowsTheTurnRoutingGenAiAndClusterMetrics() {
        okChat();
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : new String[] {
            "switchboard_chat_turns_total{",
            "switchboard_chat_turn_duration_seconds_bucket{",
            "switchboard_chat_llm_duration_seconds_bucket{",
            "switchboard_routing_decisions_total{",
            "switchboard_routing_score_bucket{",
            "gen_ai_client_operation_duration_seconds_bucket{",
            "gen_ai_client_token_usage_bucket{",
            "gen_ai_token_type=\"input\"",
            "gen_ai_token_type=\"output\"",
            "gen_ai_operation_name=\"chat\"",
            "gen_ai_system=\"openai\"",
            "gen_ai_request_model=\"",
            "switchboard_active_sessions ",
            "switchboard_max_concurrent_sessions ",
            "switchboard_agents{status=\"active\"} 4.0",
            "switchboard_supervisor_heartbeats_total{"
        }) {
            assertTrue(metrics.contains(name), "missing " + name);
        }
    }

    @Test
    void agentEventDelayIsMeasuredOnceTheCacheApplied() {
        redis.pubsub(String.class)
                .publish(
                        "sb:events:agents",
                        "{\"type\":\"agent.updated\",\"agent\":\"" + AGENT + "\",\"revision\":2,\"timestamp\":\""
                                + Instant.now() + "\"}");
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/q/metrics")
                        .then()
                        .extract()
                        .asString()
                        .contains("switchboard_event_propagation_seconds_count{channel=\"agents\"} "));
        String metrics = given().get("/q/metrics").then().extract().asString();
        String line = metrics.lines()
                .filter(l -> l.startsWith("switchboard_event_propagation_seconds_count{channel=\"agents\"}"))
                .findFirst()
                .orElseThrow();
        assertTrue(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1, line);
    }
}
