package dev.switchboard.supervisor.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /route} with the real in-process router, and agent events refreshing the routable agents. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class RouteResourceTest {

    private static final String WEATHER_AGENT = "weather_forecast_agent";

    @InjectPeers
    WireMockServer peers;

    @Inject
    AgentCache cache;

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void waitForAgentCache() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    @Test
    void routesCalendarQuestionToCalendarCheckerWithRankedCandidates() {
        int writesBefore = writes();

        List<Float> scores = given().contentType(ContentType.JSON)
                .body(Map.of("message", "Check my calendar for tomorrow"))
                .post("/route")
                .then()
                .statusCode(200)
                .body("agent", equalTo("calendar_checker_agent"))
                .body("method", equalTo("semantic"))
                .body("candidates", hasSize(4))
                .body("candidates[0].agent", equalTo("calendar_checker_agent"))
                .body("candidates.agent", hasItem("general_assistant_agent"))
                .extract()
                .jsonPath()
                .getList("candidates.score", Float.class);
        List<Float> sorted = new ArrayList<>(scores);
        sorted.sort((a, b) -> Float.compare(b, a));
        assertEquals(sorted, scores, "candidates best first");
        assertTrue(scores.stream().allMatch(s -> s >= 0 && s <= 1));

        assertEquals(writesBefore, writes(), "a dry run writes nothing");
    }

    /** Writes the peers received, apart from this replica's own heartbeats (every 5 s, whatever a test does). */
    private int writes() {
        return (int) peers.findAll(postRequestedFor(anyUrl())).stream()
                .filter(request -> !request.getUrl().matches("/supervisors/[^/?]+/heartbeat"))
                .count();
    }

    @Test
    void rejectsBlankMessage() {
        given().contentType(ContentType.JSON)
                .body(Map.of("message", " "))
                .post("/route")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("message"));
    }

    /**
     * A routing dry run costs an embedding and a scan of every agent: a user's calls count against the same per-user
     * limit as their chat messages (5 per minute, burst 5 in the tests), so {@code /route} is no unmetered oracle.
     */
    @Test
    void routeCountsAgainstTheCallersRateLimit() {
        String user = "Bearer "
                + TestCredentials.accessToken(
                        "route-limit-" + UUID.randomUUID(), Set.of("user"), Duration.ofMinutes(5));
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", user)
                    .contentType(ContentType.JSON)
                    .body(Map.of("message", "Check my calendar for tomorrow"))
                    .post("/route")
                    .then()
                    .statusCode(200);
        }
        String retryAfter = given().header("Authorization", user)
                .contentType(ContentType.JSON)
                .body(Map.of("message", "Check my calendar for tomorrow"))
                .post("/route")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/rate-limited"))
                .extract()
                .header("Retry-After");
        assertTrue(Integer.parseInt(retryAfter) >= 1, "Retry-After: " + retryAfter);
    }

    @Test
    void agentEventMakesNewAgentRoutableWithoutRestart() {
        String message = "will it rain in paris tomorrow";
        List<ObjectNode> agents = new ArrayList<>(PeersWireMockResource.defaultAgents());
        agents.add(PeersWireMockResource.agent(
                WEATHER_AGENT,
                "Weather forecasts: rain, sun, temperature and wind",
                null,
                "active",
                false,
                List.of("weather"),
                List.of(
                        message,
                        "what's the weather like today",
                        "is it going to be sunny this weekend",
                        "how cold will it be tonight",
                        "do I need an umbrella tomorrow",
                        "weather forecast for berlin",
                        "will there be snow on friday",
                        "how windy is it outside")));
        try {
            peers.stubFor(get(urlPathEqualTo("/agents")).willReturn(okJson(PeersWireMockResource.agentList(agents))));
            publishAgentEvent("agent.registered", WEATHER_AGENT);

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> given().contentType(ContentType.JSON)
                            .body(Map.of("message", message))
                            .post("/route")
                            .then()
                            .statusCode(200)
                            .body("agent", equalTo(WEATHER_AGENT))
                            .body("candidates", hasSize(5)));
            given().get("/agents")
                    .then()
                    .statusCode(200)
                    .body("agents." + WEATHER_AGENT + ".status", equalTo("active"));
        } finally {
            peers.stubFor(get(urlPathEqualTo("/agents"))
                    .willReturn(okJson(PeersWireMockResource.agentList(PeersWireMockResource.defaultAgents()))));
            publishAgentEvent("agent.deleted", WEATHER_AGENT);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> cache.findAgent(WEATHER_AGENT).isEmpty()
                            && cache.routerIndex()
                                    .map(i -> !i.agentNames().contains(WEATHER_AGENT))
                                    .orElse(false));
        }
    }

    private void publishAgentEvent(String type, String agent) {
        redis.pubsub(String.class)
                .publish(
                        "sb:events:agents",
                        "{\"type\":\"" + type + "\",\"agent\":\"" + agent
                                + "\",\"revision\":2,\"timestamp\":\"2026-11-21T12:00:00Z\"}");
    }
}
