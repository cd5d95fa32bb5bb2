package dev.switchboard.registry.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.registry.AgentEvents;
import dev.switchboard.registry.TestAgents;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs with the test profile's short windows: timeout 2s, check interval 1s. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class HeartbeatMonitorTest {

    private static final String PREFIX = "t-hb";

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    HeartbeatMonitor monitor;

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
    }

    private static Map<String, Object> remoteAgent(String name) {
        Map<String, Object> body = TestAgents.llmAgent(name, "Remote agent that must heartbeat", "remote_test");
        body.put("kind", "remote");
        body.put("endpoint", "http://127.0.0.1:9/agent");
        return body;
    }

    @Test
    void marksSilentRemoteAgentUnhealthyAndHeartbeatRestoresIt() {
        String llm = TestAgents.uniqueName(PREFIX + "-llm");
        String remote = TestAgents.uniqueName(PREFIX + "-remote");
        try (AgentEvents events = AgentEvents.subscribe(redis)) {
            given().contentType(ContentType.JSON)
                    .body(TestAgents.llmAgent(llm, "In-process agent"))
                    .post("/agents")
                    .then()
                    .statusCode(201);
            given().contentType(ContentType.JSON)
                    .body(remoteAgent(remote))
                    .post("/agents")
                    .then()
                    .statusCode(201)
                    .body("status", equalTo("active"));

            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "unhealthy".equals(TestAgents.row(pool, remote).getString("status")));
            assertEquals(2L, TestAgents.row(pool, remote).getLong("revision"));
            // the llm agent is older than the remote one and still untouched: llm agents never heartbeat
            assertEquals("active", TestAgents.row(pool, llm).getString("status"));
            given().get("/agents/" + remote).then().statusCode(200).body("status", equalTo("unhealthy"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.typesFor(remote).contains("agent.status_changed"));

            given().when()
                    .post("/agents/" + remote + "/heartbeat")
                    .then()
                    .statusCode(200)
                    .body("name", equalTo(remote))
                    .body("status", equalTo("active"))
                    .body("last_heartbeat", notNullValue());
            assertNotNull(TestAgents.row(pool, remote).getOffsetDateTime("last_heartbeat"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.typesFor(remote).stream()
                                    .filter("agent.status_changed"::equals)
                                    .count()
                            >= 2);
            List<JsonNode> changes = events.forAgent(remote).stream()
                    .filter(e -> e.path("type").asText().equals("agent.status_changed"))
                    .toList();
            assertEquals(2, changes.get(0).path("revision").asInt());
            assertEquals(3, changes.get(1).path("revision").asInt());
            assertEquals(
                    List.of(),
                    events.forAgent(llm).stream()
                            .filter(e -> e.path("type").asText().equals("agent.status_changed"))
                            .toList());
        }
    }

    @Test
    void leavesInactiveRemoteAgentsAloneAndMarksEachAgentOnce() {
        String inactive = TestAgents.uniqueName(PREFIX + "-off");
        given().contentType(ContentType.JSON)
                .body(remoteAgent(inactive))
                .post("/agents")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("status", "inactive"))
                .post("/agents/" + inactive + "/status")
                .then()
                .statusCode(200);
        String silent = TestAgents.uniqueName(PREFIX + "-silent");
        given().contentType(ContentType.JSON)
                .body(remoteAgent(silent))
                .post("/agents")
                .then()
                .statusCode(201);

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "unhealthy".equals(TestAgents.row(pool, silent).getString("status")));
        // a further pass (as another replica would run) changes nothing already marked
        List<String> marked = monitor.checkHeartbeats().await().indefinitely().stream()
                .map(dev.switchboard.registry.Agent::name)
                .toList();
        assertEquals(false, marked.contains(silent));
        assertEquals(2L, TestAgents.row(pool, silent).getLong("revision"));
        assertEquals("inactive", TestAgents.row(pool, inactive).getString("status"));
    }
}
