package dev.switchboard.registry.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.registry.AgentEvents;
import dev.switchboard.registry.TestAgents;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Versions, rollout weights, promote, rollback: a gradual cutover and its way back. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class RolloutResourceTest {

    private static final String PREFIX = "t-roll";
    private static final String PROBLEM = "application/problem+json";

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
    }

    private static String remoteAgent() {
        String name = TestAgents.uniqueName(PREFIX);
        Map<String, Object> body = TestAgents.llmAgent(name, "Remote agent with canaries", "canary");
        body.put("kind", "remote");
        body.put("endpoint", "http://127.0.0.1:9/v1");
        body.put("version", "1.0.0");
        given().contentType(ContentType.JSON).body(body).post("/agents").then().statusCode(201);
        return name;
    }

    @Test
    void cutoverStepsChangeWeightsAndPublishOneEventPerChange() {
        String name = remoteAgent();
        try (AgentEvents events = AgentEvents.subscribe(redis)) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("version", "1.1.0", "endpoint", "http://127.0.0.1:9/v2"))
                    .post("/agents/" + name + "/versions")
                    .then()
                    .statusCode(200)
                    .body("versions.version", contains("1.1.0"))
                    .body("versions[0].weight", equalTo(0))
                    .body("versions[0].endpoint", equalTo("http://127.0.0.1:9/v2"))
                    .body("stable_weight", equalTo(100))
                    .body("revision", equalTo(2));
            for (int weight : new int[] {10, 25, 50, 75, 90, 100}) {
                given().contentType(ContentType.JSON)
                        .body(Map.of("version", "1.1.0", "weight", weight))
                        .post("/agents/" + name + "/rollout")
                        .then()
                        .statusCode(200)
                        .body("versions[0].weight", equalTo(weight))
                        .body("stable_weight", equalTo(100 - weight));
            }
            // the same weight again changes nothing
            given().contentType(ContentType.JSON)
                    .body(Map.of("version", "1.1.0", "weight", 100))
                    .post("/agents/" + name + "/rollout")
                    .then()
                    .statusCode(200)
                    .body("revision", equalTo(8));
            given().get("/agents/" + name).then().statusCode(200).body("versions[0].weight", equalTo(100));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.forAgent(name).size() >= 7);
            assertEquals(
                    7,
                    events.typesFor(name).stream()
                            .filter("agent.rollout_changed"::equals)
                            .count());
            assertEquals(
                    List.of(2, 3, 4, 5, 6, 7, 8),
                    events.forAgent(name).stream()
                            .map(e -> e.path("revision").asInt())
                            .toList());
        }
    }

    @Test
    void refusesCanaryWeightsAboveOneHundredAndTheStableVersionAsCanary() {
        String name = remoteAgent();
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "2.0.0", "weight", 60))
                .post("/agents/" + name + "/versions")
                .then()
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "3.0.0", "weight", 50))
                .post("/agents/" + name + "/versions")
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/rollout-conflict"));
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "1.0.0"))
                .post("/agents/" + name + "/versions")
                .then()
                .statusCode(409)
                .body("type", equalTo("https://switchboard.dev/problems/rollout-conflict"));
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "9.9.9", "weight", 10))
                .post("/agents/" + name + "/rollout")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/agent-version-not-found"));
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "2.0.0", "weight", 101))
                .post("/agents/" + name + "/rollout")
                .then()
                .statusCode(400)
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"));
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "1.1.0", "weight", 10))
                .post("/agents/t-roll-missing/rollout")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/agent-not-found"));
        assertEquals(1L, count("SELECT count(*) FROM registry.agent_versions WHERE agent_name = '" + name + "'"));
    }

    @Test
    void concurrentRolloutsOfTwoCanariesNeverExceedOneHundred() throws Exception {
        String name = remoteAgent();
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "a"))
                .post("/agents/" + name + "/versions")
                .then()
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "b"))
                .post("/agents/" + name + "/versions")
                .then()
                .statusCode(200);
        HttpClient client = HttpClient.newHttpClient();
        String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String json = "{\"version\":\"" + (i % 2 == 0 ? "a" : "b") + "\",\"weight\":" + (60 + i) + "}";
            calls.add(client.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/agents/" + name + "/rollout"))
                            .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        for (var call : calls) {
            int status = call.get().statusCode();
            assertTrue(status == 200 || status == 409, "200 or 409, got " + status);
            ok += status == 200 ? 1 : 0;
        }
        assertTrue(ok >= 1);
        long sum = count("SELECT sum(weight) FROM registry.agent_versions WHERE agent_name = '" + name + "'");
        assertTrue(sum <= 100, "canaries hold " + sum + " %");
    }

    @Test
    void promoteMakesTheCanaryStableAndKeepsTheOldStableAsCanary() {
        String name = remoteAgent();
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "1.1.0", "weight", 25, "endpoint", "http://127.0.0.1:9/v2"))
                .post("/agents/" + name + "/versions")
                .then()
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "1.1.0"))
                .post("/agents/" + name + "/promote")
                .then()
                .statusCode(200)
                .body("version", equalTo("1.1.0"))
                .body("endpoint", equalTo("http://127.0.0.1:9/v2"))
                .body("versions.version", contains("1.0.0"))
                .body("versions[0].weight", equalTo(0))
                .body("versions[0].endpoint", equalTo("http://127.0.0.1:9/v1"))
                .body("stable_weight", equalTo(100));
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "1.1.0"))
                .post("/agents/" + name + "/promote")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/agent-version-not-found"));
        given().delete("/agents/" + name + "/versions/1.0.0")
                .then()
                .statusCode(200)
                .body("versions.size()", equalTo(0));
    }

    @Test
    void rollbackIsIdempotentAndAnnouncedOnceWithItsReason() {
        String name = remoteAgent();
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "1.1.0", "weight", 10))
                .post("/agents/" + name + "/versions")
                .then()
                .statusCode(200);
        try (AgentEvents events = AgentEvents.subscribe(redis)) {
            for (int i = 0; i < 3; i++) { // three supervisors tripping the same trigger
                given().contentType(ContentType.JSON)
                        .body(Map.of("version", "1.1.0", "reason", "error_rate 0.200 > 0.05"))
                        .post("/agents/" + name + "/rollback")
                        .then()
                        .statusCode(200)
                        .body("versions[0].weight", equalTo(0))
                        .body("stable_weight", equalTo(100));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !events.forAgent(name).isEmpty());
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
            List<JsonNode> received = events.forAgent(name);
            assertEquals(1, received.size(), "one event for three identical rollbacks: " + received);
            assertEquals("agent.rollout_changed", received.get(0).path("type").asText());
            assertTrue(received.get(0).path("reason").asText().contains("error_rate 0.200 > 0.05"));
        }
        // without a version: every canary
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "1.1.0", "weight", 30))
                .post("/agents/" + name + "/rollout")
                .then()
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/agents/" + name + "/rollback")
                .then()
                .statusCode(200)
                .body("versions[0].weight", equalTo(0));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("registry_rollbacks_total{agent=\"" + name + "\"} 2.0"));
    }

    private long count(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }
}
