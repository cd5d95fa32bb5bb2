package dev.switchboard.registry.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.registry.Agent;
import dev.switchboard.registry.TestAgents;
import dev.switchboard.registry.repository.AgentRepository;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class AgentCacheTest {

    private static final String PREFIX = "t-cache";

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    AgentCache cache;

    @Inject
    AgentRepository repository;

    @Inject
    ObjectMapper mapper;

    private static final String ALL = AgentCache.PREFIX + "agents";
    private static final String STALE = AgentCache.PREFIX + "agents:stale";

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
    }

    /** Simulates a Redis flush of everything this service keeps there (other modules' keys are left alone). */
    private void flushRegistryKeys() {
        List<String> keys = redis.key().keys(AgentCache.PREFIX + "*");
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
    }

    @Test
    void servesReadsFromPostgresqlAfterRedisFlushAndRepopulates() {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "Survives a flush", "durable"))
                .post("/agents")
                .then()
                .statusCode(201);
        given().get("/agents/" + name).then().statusCode(200);
        assertTrue(redis.key().exists(AgentCache.agentKey(name)), "a read caches the agent");

        flushRegistryKeys();
        assertFalse(redis.key().exists(AgentCache.agentKey(name)));

        given().get("/agents/" + name)
                .then()
                .statusCode(200)
                .body("description", equalTo("Survives a flush"))
                .body("revision", equalTo(1));
        given().queryParam("capability", "durable")
                .get("/agents")
                .then()
                .statusCode(200)
                .body("agents.name", hasItem(name));
        given().get("/agents/calendar_checker_agent")
                .then()
                .statusCode(200)
                .body("capabilities", org.hamcrest.Matchers.contains("calendar", "availability_check"));
        assertTrue(redis.key().exists(AgentCache.agentKey(name)), "the PostgreSQL read repopulated the cache");
        assertTrue(redis.key().exists(AgentCache.PREFIX + "agents"), "the list was repopulated too");
    }

    @Test
    void readsComeFromTheCacheAndWritesInvalidateIt() {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "Original"))
                .post("/agents")
                .then()
                .statusCode(201);
        given().get("/agents/" + name).then().statusCode(200).body("description", equalTo("Original"));

        // Changed behind the service's back: the cached copy is what a read serves.
        pool.preparedQuery("UPDATE registry.agents SET description = 'Changed in SQL' WHERE name = $1")
                .execute(Tuple.of(name))
                .await()
                .indefinitely();
        given().get("/agents/" + name).then().statusCode(200).body("description", equalTo("Original"));

        // A write through the API invalidates: the next read sees PostgreSQL.
        given().contentType(ContentType.JSON)
                .body(Map.of("status", "inactive"))
                .post("/agents/" + name + "/status")
                .then()
                .statusCode(200);
        given().get("/agents/" + name)
                .then()
                .statusCode(200)
                .body("description", equalTo("Changed in SQL"))
                .body("status", equalTo("inactive"));
        given().queryParam("status", "inactive")
                .get("/agents")
                .then()
                .statusCode(200)
                .body("agents.name", hasItem(name));
    }

    @Test
    void aWriteTouchesOnlyItsAgentAndTheNextListRereadsOnlyIt() {
        given().get("/agents").then().statusCode(200);
        assertTrue(redis.hash(String.class).hexists(ALL, ""), "a list read caches the complete list");
        assertTrue(redis.hash(String.class).hexists(ALL, "calendar_checker_agent"));

        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "Listed after its write", "fresh"))
                .post("/agents")
                .then()
                .statusCode(201);
        assertTrue(redis.hash(String.class).hexists(ALL, "calendar_checker_agent"), "other agents stay cached");
        assertTrue(redis.set(String.class).sismember(STALE, name), "the written agent is marked stale");

        given().get("/agents")
                .then()
                .statusCode(200)
                .body("agents.find { it.name == '" + name + "' }.revision", equalTo(1))
                .body("agents.find { it.name == '" + name + "' }.description", equalTo("Listed after its write"));
        assertTrue(redis.hash(String.class).hexists(ALL, name), "the re-read agent is cached again");
        assertFalse(redis.set(String.class).sismember(STALE, name));

        given().delete("/agents/" + name).then().statusCode(204);
        given().get("/agents").then().statusCode(200).body("agents.name", org.hamcrest.Matchers.not(hasItem(name)));
        assertFalse(redis.hash(String.class).hexists(ALL, name));
        assertFalse(redis.set(String.class).sismember(STALE, name), "a deleted agent is no longer stale once read");
    }

    @Test
    void aSlowReaderCannotPutBackAnOlderAgent() {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "Version one"))
                .post("/agents")
                .then()
                .statusCode(201);
        given().get("/agents").then().statusCode(200); // complete list cached
        // a reader notes the generation and reads PostgreSQL ...
        String generation = cache.generation().await().indefinitely();
        Agent old = repository.findAgent(name).await().indefinitely();
        List<Agent> oldList = repository.listAgents().await().indefinitely();
        // ... meanwhile a write commits and invalidates ...
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "Version two"))
                .put("/agents/" + name)
                .then()
                .statusCode(200);
        // ... then the slow reader stores what it read
        cache.storeAgent(old, generation).await().indefinitely();
        cache.storeAgents(List.of(name), List.of(old), generation).await().indefinitely();
        cache.storeAllAgents(oldList, generation).await().indefinitely();

        assertFalse(redis.key().exists(AgentCache.agentKey(name)), "the older agent was not cached");
        assertFalse(redis.hash(String.class).hexists(ALL, name), "nor put into the list");
        given().get("/agents/" + name)
                .then()
                .statusCode(200)
                .body("revision", equalTo(2))
                .body("description", equalTo("Version two"));
        given().get("/agents")
                .then()
                .statusCode(200)
                .body("agents.find { it.name == '" + name + "' }.description", equalTo("Version two"));
    }

    @Test
    void theCacheStaysConsistentUnderConcurrentWrites() throws Exception {
        String capability = "concurrent-" + System.nanoTime();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = TestAgents.uniqueName(PREFIX + "-c" + i);
            names.add(name);
            given().contentType(ContentType.JSON)
                    .body(TestAgents.llmAgent(name, "start", capability))
                    .post("/agents")
                    .then()
                    .statusCode(201);
        }
        String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
        HttpClient client = HttpClient.newHttpClient();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) { // readers fill the cache while the writers invalidate it
            readers.add(CompletableFuture.runAsync(() -> {
                while (writing.get()) {
                    if (send(
                                    client,
                                    adminRequest(URI.create(base + "/agents?capability=" + capability))
                                            .GET()
                                            .build())
                            != 200) {
                        failures.incrementAndGet();
                    }
                    String one = names.get(ThreadLocalRandom.current().nextInt(names.size()));
                    send(
                            client,
                            adminRequest(URI.create(base + "/agents/" + one))
                                    .GET()
                                    .build());
                }
            }));
        }
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 10; i++) {
                    String name = names.get(ThreadLocalRandom.current().nextInt(names.size()));
                    String body = json(TestAgents.llmAgent(name, "writer " + writer + " step " + i, capability));
                    if (send(
                                    client,
                                    adminRequest(URI.create(base + "/agents/" + name))
                                            .header("Content-Type", "application/json")
                                            .PUT(HttpRequest.BodyPublishers.ofString(body))
                                            .build())
                            != 200) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
        writing.set(false);
        CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get();
        assertEquals(0, failures.get(), "every read and write answered 200");

        Map<String, JsonNode> listed = new HashMap<>();
        for (JsonNode agent : mapper.readTree(given().queryParam("capability", capability)
                        .get("/agents")
                        .asString())
                .get("agents")) {
            listed.put(agent.get("name").asText(), agent);
        }
        for (String name : names) {
            var row = TestAgents.row(pool, name);
            JsonNode agent = listed.get(name);
            assertNotNull(agent, name + " listed");
            assertEquals(
                    row.getLong("revision").longValue(), agent.get("revision").asLong(), name + " list revision");
            assertEquals(row.getString("description"), agent.get("description").asText(), name + " list description");
            given().get("/agents/" + name)
                    .then()
                    .statusCode(200)
                    .body("revision", equalTo(row.getLong("revision").intValue()))
                    .body("description", equalTo(row.getString("description")));
        }
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** A request with the admin key (every registry endpoint needs credentials). */
    private static HttpRequest.Builder adminRequest(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY));
    }
}
