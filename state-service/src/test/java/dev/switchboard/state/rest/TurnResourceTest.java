package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.appendTurn;
import static dev.switchboard.state.rest.StateTestSupport.checkpointRows;
import static dev.switchboard.state.rest.StateTestSupport.checkpointVersions;
import static dev.switchboard.state.rest.StateTestSupport.createSession;
import static dev.switchboard.state.rest.StateTestSupport.redisVersion;
import static dev.switchboard.state.rest.StateTestSupport.sessionJsonAt;
import static dev.switchboard.state.rest.StateTestSupport.turnBody;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.state.Session;
import dev.switchboard.state.store.SessionStore;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class TurnResourceTest {

    private static final String PROBLEM = "https://switchboard.dev/problems/";

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @Inject
    SessionStore store;

    private final List<String> sessions = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        StateTestSupport.cleanUp(redis, pool, sessions, List.of());
    }

    private String newSession() {
        String id = uniqueId("s");
        sessions.add(id);
        createSession(id, null).statusCode(201);
        return id;
    }

    @Test
    void keepsTurnMetadataOnTheTurnAndLeavesSessionMetadataAlone() {
        String id = newSession();
        Map<String, Object> first = Map.of(
                "turn_id",
                "t-1",
                "agent",
                "calendar_checker_agent",
                "messages",
                List.of(Map.of("role", "user", "content", "hi")),
                "metadata",
                Map.of("tool_calls", List.of(Map.of("name", "check_availability")), "latency_ms", 12));
        Map<String, Object> second = Map.of(
                "turn_id",
                "t-2",
                "agent",
                "general_assistant_agent",
                "messages",
                List.of(Map.of("role", "user", "content", "thanks")),
                "metadata",
                Map.of("latency_ms", 7));
        given().contentType(ContentType.JSON)
                .body(first)
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(second)
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201);

        given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("turns[0].metadata.tool_calls[0].name", equalTo("check_availability"))
                .body("turns[0].metadata.latency_ms", equalTo(12))
                .body("turns[1].metadata.latency_ms", equalTo(7))
                .body("turns[1].metadata.tool_calls", nullValue())
                .body("metadata.latency_ms", nullValue());
    }

    @Test
    void appendsTurnWithOneCheckpoint() {
        String id = newSession();

        String checkpointId = appendTurn(id, "t-1", "hi")
                .statusCode(201)
                .header("ETag", "\"2\"")
                .body("checkpoint_id", notNullValue())
                .body("session.version", equalTo(2))
                .body("session.messages", hasSize(2))
                .body("session.messages[0].role", equalTo("user"))
                .body("session.messages[0].agent", nullValue())
                .body("session.messages[0].turn_id", equalTo("t-1"))
                .body("session.messages[1].agent", equalTo("general_assistant_agent"))
                .body("session.turns[0].turn_id", equalTo("t-1"))
                .body("session.turns[0].outcome", equalTo("ok"))
                .body("session.turns[0].routing.method", equalTo("semantic"))
                .body("session.state.last_turn", equalTo("t-1"))
                .body("session.created_at", org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d{2}-\\d{2}T.*Z"))
                .body("session.turns[0].created_at", org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d{2}-\\d{2}T.*Z"))
                .extract()
                .path("checkpoint_id");

        given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("last_checkpoint_id", equalTo(checkpointId))
                .body("turns[0].checkpoint_id", equalTo(checkpointId));
        assertEquals(2, checkpointRows(pool, id));
        assertEquals("2", redisVersion(redis, id));
    }

    @Test
    void repeatedTurnIdReturnsExistingResultWithoutWriting() {
        String id = newSession();
        String checkpointId =
                appendTurn(id, "t-1", "hi").statusCode(201).extract().path("checkpoint_id");

        appendTurn(id, "t-1", "hi")
                .statusCode(200)
                .body("checkpoint_id", equalTo(checkpointId))
                .body("session.version", equalTo(2))
                .body("session.messages", hasSize(2));
        assertEquals(2, checkpointRows(pool, id));
    }

    @Test
    void staleIfMatchOnTurnIs412AndWritesNothing() {
        String id = newSession();
        appendTurn(id, "t-1", "hi").statusCode(201);

        given().contentType(ContentType.JSON)
                .header("If-Match", "1")
                .body(turnBody("t-2", "again"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(412)
                .body("type", equalTo(PROBLEM + "version-conflict"));
        given().contentType(ContentType.JSON)
                .header("If-Match", "\"2\"")
                .body(turnBody("t-3", "now"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201)
                .body("session.version", equalTo(3));
        assertEquals(3, checkpointRows(pool, id));
    }

    /** Another replica commits version {@code version} in PostgreSQL; this instance's Redis copy stays older. */
    private void otherReplicaWrites(String id, long version) {
        pool.preparedQuery("""
                INSERT INTO state.checkpoints (thread_id, checkpoint_id, parent_id, version, user_id, checkpoint, metadata)
                SELECT thread_id, 'other-' || $2::bigint, checkpoint_id, $2::bigint, user_id,
                       jsonb_set(jsonb_set($3::text::jsonb, '{version}', to_jsonb($2::bigint)),
                                 '{last_checkpoint_id}', to_jsonb('other-' || $2::bigint)),
                       '{"source":"other-replica"}'
                FROM state.checkpoints WHERE thread_id = $1 AND version = $2::bigint - 1
                """)
                .execute(Tuple.of(id, version, sessionJsonAt(pool, id, version - 1)))
                .await()
                .indefinitely();
    }

    @Test
    void retriesTurnAfterAnotherWriterTookTheVersion() {
        String id = newSession();
        appendTurn(id, "t-1", "hi").statusCode(201);
        otherReplicaWrites(id, 3);
        assertEquals("2", redisVersion(redis, id), "Redis copy is stale");

        appendTurn(id, "t-2", "again")
                .statusCode(201)
                .body("session.version", equalTo(4))
                .body("session.messages", hasSize(4));

        assertEquals(List.of(1L, 2L, 3L, 4L), checkpointVersions(pool, id));
        assertEquals("4", redisVersion(redis, id));
        String parent = pool.preparedQuery(
                        "SELECT parent_id FROM state.checkpoints WHERE thread_id = $1 AND version = 4")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("parent_id");
        assertEquals("other-3", parent);
    }

    @Test
    void ifMatchIsCheckedAgainstPostgresWhenRedisCopyIsStale() {
        String id = newSession();
        otherReplicaWrites(id, 2);
        assertEquals("1", redisVersion(redis, id));

        given().contentType(ContentType.JSON)
                .header("If-Match", "1")
                .body(Map.of("state", Map.of("x", 1)))
                .patch("/sessions/{id}", id)
                .then()
                .statusCode(412)
                .header("ETag", "\"2\"");
        assertEquals("2", redisVersion(redis, id), "stale copy repaired");
        given().contentType(ContentType.JSON)
                .header("If-Match", "2")
                .body(Map.of("state", Map.of("x", 1)))
                .patch("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("version", equalTo(3));
        assertEquals(List.of(1L, 2L, 3L), checkpointVersions(pool, id));
    }

    @Test
    void olderCopyNeverReplacesNewerOneInRedis() {
        String id = newSession();
        appendTurn(id, "t-1", "hi").statusCode(201);
        Session older = store.findSession(id).await().indefinitely();
        appendTurn(id, "t-2", "again").statusCode(201);

        assertFalse(store.saveSession(older).await().indefinitely());
        assertEquals("3", redisVersion(redis, id));
        given().get("/sessions/{id}", id).then().body("version", equalTo(3)).body("turns", hasSize(2));
    }

    @Test
    void turnOnUnknownSessionIs404() {
        String id = uniqueId("s");
        appendTurn(id, "t-1", "hi").statusCode(404).body("type", equalTo(PROBLEM + "session-not-found"));
        assertEquals(0, checkpointRows(pool, id));
    }

    @Test
    void concurrentTurnsAllLandExactlyOnceWithConsecutiveVersions() throws Exception {
        String id = newSession();
        int turns = 20;
        ExecutorService executor = Executors.newFixedThreadPool(turns);
        try {
            List<Callable<Integer>> calls = IntStream.range(0, turns)
                    .mapToObj(i -> (Callable<Integer>) () ->
                            appendTurn(id, "t-" + i, "message " + i).extract().statusCode())
                    .toList();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> future : executor.invokeAll(calls)) {
                statuses.add(future.get());
            }
            assertEquals(Collections.nCopies(turns, 201), statuses);
        } finally {
            executor.shutdownNow();
        }

        JsonPath session = given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(turns + 1, session.getInt("version"));
        List<String> turnIds = session.getList("turns.turn_id");
        assertEquals(turns, turnIds.size());
        assertEquals(turns, turnIds.stream().distinct().count());
        assertEquals(2 * turns, session.getList("messages").size());
        assertEquals(LongStream.rangeClosed(1, turns + 1).boxed().toList(), checkpointVersions(pool, id));
    }

    @Test
    void rejectsInvalidTurnsWithoutWriting() {
        String id = newSession();
        given().contentType(ContentType.JSON)
                .body(Map.of("turn_id", "t-1", "messages", List.of()))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("messages"));
        given().contentType(ContentType.JSON)
                .body(Map.of("turn_id", "t-1"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("role", "robot", "content", "x"))))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("role"));
        given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("role", "user", "content", "x".repeat(32001)))))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("content"));
        Map<String, Object> tooMany = new HashMap<>();
        tooMany.put("messages", Collections.nCopies(51, Map.of("role", "user", "content", "x")));
        given().contentType(ContentType.JSON)
                .body(tooMany)
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body(turnBody("bad turn id", "x"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("turn_id"));
        given().contentType(ContentType.JSON)
                .body("{\"messages\": [")
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM + "malformed-request"));
        given().contentType(ContentType.JSON)
                .header("If-Match", "v1")
                .body(turnBody("t-1", "x"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(400);

        assertEquals(1, checkpointRows(pool, id));
        assertEquals("1", redisVersion(redis, id));
    }
}
