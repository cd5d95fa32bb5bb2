package dev.switchboard.registry.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.registry.service.SupervisorService;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /supervisors}; the test profile's supervisor heartbeat timeout is 2 s, the monitor runs every 1 s. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class SupervisorResourceTest {

    private static final String PREFIX = "t-sup";
    private static final String PROBLEM = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    SupervisorService service;

    private final ConcurrentLinkedQueue<JsonNode> events = new ConcurrentLinkedQueue<>();
    private PubSubCommands.RedisSubscriber subscriber;

    @BeforeEach
    void subscribe() {
        subscriber = redis.pubsub(String.class).subscribe("sb:events:supervisors", message -> {
            try {
                events.add(JSON.readTree(message));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void cleanUp() {
        subscriber.unsubscribe();
        pool.preparedQuery("DELETE FROM registry.supervisors WHERE id LIKE $1")
                .execute(Tuple.of(PREFIX + "%"))
                .await()
                .indefinitely();
    }

    private static String uniqueId() {
        return PREFIX + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static Map<String, Object> registration(String id) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("host", "supervisor-host");
        body.put("port", 8000);
        body.put("version", "0.1.0");
        body.put("capacity", 50);
        body.put("active_sessions", 3);
        body.put("started_at", "2026-11-21T12:00:00Z");
        return body;
    }

    private List<String> typesFor(String id) {
        return events.stream()
                .filter(e -> id.equals(e.path("supervisor").asText()))
                .map(e -> e.path("type").asText())
                .toList();
    }

    private Row row(String id) {
        RowSet<Row> rows = pool.preparedQuery("SELECT * FROM registry.supervisors WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    @Test
    void registersHeartbeatsListsAndDeregisters() {
        String id = uniqueId();
        given().contentType(ContentType.JSON)
                .body(registration(id))
                .post("/supervisors")
                .then()
                .statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/supervisors/" + id))
                .body("id", equalTo(id))
                .body("host", equalTo("supervisor-host"))
                .body("port", equalTo(8000))
                .body("version", equalTo("0.1.0"))
                .body("capacity", equalTo(50))
                .body("active_sessions", equalTo(3))
                .body("status", equalTo("up"))
                .body("started_at", equalTo("2026-11-21T12:00:00Z"))
                .body("last_heartbeat", notNullValue());
        // registering again (a restart) replaces the row: 200, one row
        Map<String, Object> again = registration(id);
        again.put("port", 8100);
        given().contentType(ContentType.JSON)
                .body(again)
                .post("/supervisors")
                .then()
                .statusCode(200)
                .body("port", equalTo(8100));
        assertEquals(8100, row(id).getInteger("port"));

        given().contentType(ContentType.JSON)
                .body(Map.of("active_sessions", 7))
                .post("/supervisors/" + id + "/heartbeat")
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("active_sessions", equalTo(7))
                .body("capacity", equalTo(50))
                .body("status", equalTo("up"));
        given().contentType(ContentType.JSON)
                .body(Map.of("active_sessions", 2, "capacity", 80))
                .post("/supervisors/" + id + "/heartbeat")
                .then()
                .statusCode(200)
                .body("capacity", equalTo(80));

        given().get("/supervisors")
                .then()
                .statusCode(200)
                .body("supervisors.id", hasItem(id))
                .body("supervisors.find { it.id == '" + id + "' }.active_sessions", equalTo(2))
                .body("supervisors.find { it.id == '" + id + "' }.status", equalTo("up"))
                .body("count", notNullValue());
        given().queryParam("status", "up")
                .get("/supervisors")
                .then()
                .statusCode(200)
                .body("supervisors.id", hasItem(id));
        given().queryParam("status", "stale")
                .get("/supervisors")
                .then()
                .statusCode(200)
                .body("supervisors.id", not(hasItem(id)));

        given().delete("/supervisors/" + id).then().statusCode(204);
        assertNull(row(id));
        given().get("/supervisors").then().statusCode(200).body("supervisors.id", not(hasItem(id)));
        given().contentType(ContentType.JSON)
                .body(Map.of("active_sessions", 1))
                .post("/supervisors/" + id + "/heartbeat")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/supervisor-not-found"));
        given().delete("/supervisors/" + id).then().statusCode(404).contentType(PROBLEM);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> typesFor(id)
                        .equals(List.of("supervisor.registered", "supervisor.registered", "supervisor.deregistered")));
        JsonNode last = events.stream()
                .filter(e -> id.equals(e.path("supervisor").asText()))
                .toList()
                .get(2);
        assertEquals("shutdown", last.path("reason").asText());
        assertTrue(last.hasNonNull("timestamp"));
    }

    @Test
    void silentInstanceIsListedStaleAnnouncedOnceAndHeartbeatRevivesIt() {
        String id = uniqueId();
        given().contentType(ContentType.JSON)
                .body(registration(id))
                .post("/supervisors")
                .then()
                .statusCode(201);

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "stale"
                        .equals(given().get("/supervisors")
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("supervisors.find { it.id == '" + id + "' }.status")));
        await().atMost(Duration.ofSeconds(10)).until(() -> typesFor(id).contains("supervisor.stale"));
        assertEquals("stale", row(id).getString("status"));
        // another pass (as another registry replica would run) announces nothing new
        assertTrue(service.checkSupervisors().await().indefinitely().stream().noneMatch(id::equals));
        assertEquals(1, typesFor(id).stream().filter("supervisor.stale"::equals).count());

        given().contentType(ContentType.JSON)
                .body(Map.of("active_sessions", 0))
                .post("/supervisors/" + id + "/heartbeat")
                .then()
                .statusCode(200)
                .body("status", equalTo("up"));
        assertEquals("up", row(id).getString("status"));
    }

    @Test
    void instanceSilentForTenTimeoutsIsDeleted() {
        String id = uniqueId();
        given().contentType(ContentType.JSON)
                .body(registration(id))
                .post("/supervisors")
                .then()
                .statusCode(201);
        pool.preparedQuery("UPDATE registry.supervisors SET last_heartbeat = now() - interval '1 hour' WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely();

        service.checkSupervisors().await().indefinitely();

        assertNull(row(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> typesFor(id).contains("supervisor.deregistered"));
        assertEquals(
                "expired",
                events.stream()
                        .filter(e -> id.equals(e.path("supervisor").asText()))
                        .filter(e -> e.path("type").asText().equals("supervisor.deregistered"))
                        .findFirst()
                        .orElseThrow()
                        .path("reason")
                        .asText());
    }

    @Test
    void rejectsInvalidRegistrationsAndHeartbeatsWith400Problems() {
        String id = uniqueId();
        Map<String, Object> noId = registration(id);
        noId.remove("id");
        given().contentType(ContentType.JSON)
                .body(noId)
                .post("/supervisors")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"))
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("id")));
        Map<String, Object> badPort = registration(id);
        badPort.put("port", 0);
        given().contentType(ContentType.JSON)
                .body(badPort)
                .post("/supervisors")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("port")));
        Map<String, Object> badId = registration("bad id/with spaces");
        given().contentType(ContentType.JSON)
                .body(badId)
                .post("/supervisors")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        Map<String, Object> negative = registration(id);
        negative.put("capacity", -1);
        given().contentType(ContentType.JSON)
                .body(negative)
                .post("/supervisors")
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body("{\"id\":")
                .post("/supervisors")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/malformed-request"));
        assertNull(row(id), "nothing was stored");

        given().contentType(ContentType.JSON)
                .body(Map.of("active_sessions", -2))
                .post("/supervisors/" + id + "/heartbeat")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        given().contentType(ContentType.JSON)
                .body(Map.of())
                .post("/supervisors/" + id + "/heartbeat")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        given().queryParam("status", "down")
                .get("/supervisors")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        assertTrue(typesFor(id).isEmpty());
    }
}
