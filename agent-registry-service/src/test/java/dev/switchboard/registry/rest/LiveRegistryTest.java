package dev.switchboard.registry.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live registry: sequenced events, the SSE stream, concurrent updates, agents outliving the process. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class LiveRegistryTest {

    private static final String PREFIX = "t-live";

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
    }

    private String base() {
        return io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
    }

    @Test
    void fiftyConcurrentUpdatesEndInOneConsistentRecordWithOneSequencedEventPerChange() throws Exception {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "Version 0", "race"))
                .post("/agents")
                .then()
                .statusCode(201);
        HttpClient client = HttpClient.newHttpClient();
        try (AgentEvents events = AgentEvents.subscribe(redis)) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                String json = "{\"description\":\"Version " + i + "\",\"capabilities\":[\"race\"]}";
                calls.add(client.sendAsync(
                        HttpRequest.newBuilder(URI.create(base() + "/agents/" + name))
                                .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (var call : calls) {
                assertEquals(200, call.get().statusCode(), call.get().body());
            }
            // every body differs from every other: each of the 50 updates is a real change
            assertEquals(51L, TestAgents.row(pool, name).getLong("revision"));
            String description = TestAgents.row(pool, name).getString("description");
            given().get("/agents/" + name)
                    .then()
                    .statusCode(200)
                    .body("revision", equalTo(51))
                    .body("description", equalTo(description));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.forAgent(name).size() >= 50);
            List<JsonNode> received = events.forAgent(name);
            assertEquals(50, received.size());
            assertEquals(
                    java.util.stream.IntStream.rangeClosed(2, 51).boxed().toList(),
                    received.stream()
                            .map(e -> e.path("revision").asInt())
                            .sorted()
                            .toList());
            List<Long> seqs = received.stream().map(e -> e.path("seq").asLong()).toList();
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i) > seqs.get(i - 1), "seq grows in channel order: " + seqs);
            }
        }
    }

    @Test
    void eventSequenceNumbersAreConsecutiveAcrossAgents() {
        String a = TestAgents.uniqueName(PREFIX + "-a");
        String b = TestAgents.uniqueName(PREFIX + "-b");
        try (AgentEvents events = AgentEvents.subscribe(redis)) {
            given().contentType(ContentType.JSON)
                    .body(TestAgents.llmAgent(a, "A"))
                    .post("/agents")
                    .then()
                    .statusCode(201);
            given().contentType(ContentType.JSON)
                    .body(TestAgents.llmAgent(b, "B"))
                    .post("/agents")
                    .then()
                    .statusCode(201);
            given().contentType(ContentType.JSON)
                    .body(java.util.Map.of("status", "draining"))
                    .post("/agents/" + a + "/status")
                    .then()
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            events.forAgent(a).size() == 2 && events.forAgent(b).size() == 1);
            long first = events.forAgent(a).get(0).path("seq").asLong();
            assertEquals(first + 1, events.forAgent(b).get(0).path("seq").asLong());
            assertEquals(first + 2, events.forAgent(a).get(1).path("seq").asLong());
            assertEquals(String.valueOf(first + 2), redis.value(String.class).get("sb:registry:event-seq"));
        }
    }

    @Test
    void streamsEventsAsServerSentEvents() throws Exception {
        String name = TestAgents.uniqueName(PREFIX + "-sse");
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<java.io.InputStream>> stream = client.sendAsync(
                HttpRequest.newBuilder(URI.create(base() + "/agents/events"))
                        .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                        .header("Accept", "text/event-stream")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<java.io.InputStream> response = stream.get();
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // closed at the end of the test
            }
        });
        try {
            // the subscription is made when the stream starts: register until an event shows up (bounded)
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        given().contentType(ContentType.JSON)
                                .body(TestAgents.llmAgent(name, "Seen on the stream " + System.nanoTime()))
                                .post("/agents")
                                .then()
                                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
                        return lines.stream()
                                .anyMatch(l -> l.startsWith("data:") && l.contains("\"agent\":\"" + name + "\""));
                    });
            String data =
                    lines.stream().filter(l -> l.contains(name)).findFirst().orElseThrow();
            assertTrue(data.contains("\"seq\":"), data);
            assertTrue(data.contains("\"type\":\"agent."), data);
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    @Test
    void agentsWrittenBeforeThisProcessAreServedAfterACacheLoss() {
        // as if registered by a previous registry process: only the PostgreSQL row exists, no cache, no event
        String name = TestAgents.uniqueName(PREFIX + "-old");
        pool.preparedQuery(
                        "INSERT INTO registry.agents (name, description, capabilities, kind, endpoint)"
                                + " VALUES ($1, 'Registered before the restart', '{restart}', 'remote', 'http://127.0.0.1:9/x')")
                .execute(Tuple.of(name))
                .await()
                .indefinitely();
        List<String> keys = redis.key().keys("sb:registry:*");
        redis.key().del(keys.toArray(String[]::new));
        given().get("/agents/" + name)
                .then()
                .statusCode(200)
                .body("description", equalTo("Registered before the restart"));
        given().queryParam("capability", "restart")
                .get("/agents")
                .then()
                .statusCode(200)
                .body("agents.name", org.hamcrest.Matchers.hasItem(name));
    }
}
