package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.appendTurn;
import static dev.switchboard.state.rest.StateTestSupport.checkpointRows;
import static dev.switchboard.state.rest.StateTestSupport.checkpointVersions;
import static dev.switchboard.state.rest.StateTestSupport.createSession;
import static dev.switchboard.state.rest.StateTestSupport.redisVersion;
import static dev.switchboard.state.rest.StateTestSupport.turnBody;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static dev.switchboard.state.rest.StateTestSupport.userKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.test.InfrastructureTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /sessions/{id}/turns} with {@code If-None-Match: *}: a new session and its first turn in one write,
 * and the replies that reuse the session JSON a write produced.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class SessionStartTest {

    private static final String PROBLEM = "https://switchboard.dev/problems/";

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @Inject
    ObjectMapper mapper;

    private final List<String> sessions = new ArrayList<>();
    private final List<String> users = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        StateTestSupport.cleanUp(redis, pool, sessions, users);
    }

    private String newId() {
        String id = uniqueId("s");
        sessions.add(id);
        return id;
    }

    private String newUser() {
        String user = uniqueId("u");
        users.add(user);
        return user;
    }

    private static ValidatableResponse start(String sessionId, String turnId, String userId, Long fencingToken) {
        Map<String, Object> body = new HashMap<>(turnBody(turnId, "hello " + turnId));
        if (userId != null) {
            body.put("user_id", userId);
        }
        var request = given().contentType(ContentType.JSON)
                .header("If-None-Match", "*")
                .body(body);
        if (fencingToken != null) {
            request = request.header("X-Fencing-Token", fencingToken);
        }
        return request.post("/sessions/{id}/turns", sessionId).then();
    }

    @Test
    void startsSessionWithItsFirstTurnInOneCheckpoint() {
        String id = newId();
        String user = newUser();

        String checkpointId = start(id, "t-1", user, 42L)
                .statusCode(201)
                .header("ETag", "\"1\"")
                .body("checkpoint_id", notNullValue())
                .body("session.session_id", equalTo(id))
                .body("session.user_id", equalTo(user))
                .body("session.version", equalTo(1))
                .body("session.messages", hasSize(2))
                .body("session.messages[0].turn_id", equalTo("t-1"))
                .body("session.messages[1].agent", equalTo("general_assistant_agent"))
                .body("session.turns", hasSize(1))
                .body("session.turns[0].outcome", equalTo("ok"))
                .body("session.state.last_turn", equalTo("t-1"))
                .body("session.metadata", equalTo(Map.of()))
                .body("session.fencing_token", equalTo(42))
                .body("session.last_checkpoint_id", notNullValue())
                .extract()
                .path("checkpoint_id");

        assertEquals(List.of(1L), checkpointVersions(pool, id));
        var row = pool.preparedQuery("SELECT checkpoint_id, parent_id, user_id, metadata::text AS metadata "
                        + "FROM state.checkpoints WHERE thread_id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next();
        assertEquals(checkpointId, row.getString("checkpoint_id"));
        assertEquals(null, row.getString("parent_id"));
        assertEquals(user, row.getString("user_id"));
        assertTrue(row.getString("metadata").contains("\"created\": true"), row.getString("metadata"));
        assertEquals("1", redisVersion(redis, id));
        assertTrue(redis.set(String.class).sismember(userKey(user), id), "indexed for its user");

        given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("user_id", equalTo(user))
                .body("turns[0].checkpoint_id", equalTo(checkpointId));
        // the next turn appends as usual
        given().contentType(ContentType.JSON)
                .header("If-Match", "\"1\"")
                .header("X-Fencing-Token", 43)
                .body(turnBody("t-2", "again"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201)
                .body("session.version", equalTo(2))
                .body("session.messages", hasSize(4));
    }

    @Test
    void retriedStartReturnsTheRecordedTurnWithoutWriting() {
        String id = newId();
        String user = newUser();
        String checkpointId =
                start(id, "t-1", user, null).statusCode(201).extract().path("checkpoint_id");

        start(id, "t-1", user, null)
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("checkpoint_id", equalTo(checkpointId))
                .body("session.version", equalTo(1))
                .body("session.messages", hasSize(2));
        assertEquals(1, checkpointRows(pool, id));
    }

    @Test
    void startOfAnExistingSessionIs412AndWritesNothing() {
        String id = newId();
        createSession(id, null).statusCode(201);
        appendTurn(id, "t-1", "hi").statusCode(201);

        start(id, "t-2", null, null)
                .statusCode(412)
                .contentType("application/problem+json")
                .header("ETag", "\"2\"")
                .body("type", equalTo(PROBLEM + "version-conflict"));
        assertEquals(2, checkpointRows(pool, id));
        assertEquals("2", redisVersion(redis, id));
    }

    @Test
    void startOfAnotherUsersSessionIs409() {
        String id = newId();
        String owner = newUser();
        start(id, "t-1", owner, null).statusCode(201);

        start(id, "t-1", newUser(), null).statusCode(409).body("type", equalTo(PROBLEM + "session-user-mismatch"));
        assertEquals(1, checkpointRows(pool, id));
    }

    @Test
    void concurrentStartsOfOneSessionWriteExactlyOnce() throws Exception {
        String id = newId();
        int starts = 12;
        ExecutorService executor = Executors.newFixedThreadPool(starts);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Callable<Integer>> calls = IntStream.range(0, starts)
                    .mapToObj(i -> (Callable<Integer>)
                            () -> start(id, "t-" + i, null, null).extract().statusCode())
                    .toList();
            for (Future<Integer> future : executor.invokeAll(calls)) {
                statuses.add(future.get());
            }
        } finally {
            executor.shutdownNow();
        }
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(starts - 1, statuses.stream().filter(s -> s == 412).count(), statuses.toString());
        assertEquals(List.of(1L), checkpointVersions(pool, id));
        given().get("/sessions/{id}", id).then().body("version", equalTo(1)).body("turns", hasSize(1));
    }

    @Test
    void refusesOtherPreconditionsWithoutWriting() {
        String id = newId();
        given().contentType(ContentType.JSON)
                .header("If-None-Match", "\"1\"")
                .body(turnBody("t-1", "x"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("If-None-Match"));
        given().contentType(ContentType.JSON)
                .header("If-None-Match", "*")
                .header("If-Match", "1")
                .body(turnBody("t-1", "x"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("If-None-Match"));
        Map<String, Object> badUser = new HashMap<>(turnBody("t-1", "x"));
        badUser.put("user_id", "not a valid id");
        given().contentType(ContentType.JSON)
                .header("If-None-Match", "*")
                .body(badUser)
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400);
        assertEquals(0, checkpointRows(pool, id));
    }

    @Test
    void appendReplyIsTheSessionAsStored() throws Exception {
        String id = newId();
        String user = newUser();
        JsonNode started = mapper.readTree(
                start(id, "t-1", user, 7L).statusCode(201).extract().asString());
        JsonNode appended = mapper.readTree(given().contentType(ContentType.JSON)
                .header("If-Match", "1")
                .body(turnBody("t-2", "more"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201)
                .extract()
                .asString());

        assertEquals(List.of("session", "checkpoint_id"), fieldNames(appended));
        JsonNode read = mapper.readTree(given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals(read, appended.get("session"), "the append's session is the one GET returns");
        JsonNode stored = mapper.readTree(pool.preparedQuery(
                        "SELECT checkpoint::text AS c FROM state.checkpoints WHERE thread_id = $1 AND version = 1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("c"));
        assertEquals(stored, started.get("session"), "the start's session is its checkpoint");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
