package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.appendTurn;
import static dev.switchboard.state.rest.StateTestSupport.createSession;
import static dev.switchboard.state.rest.StateTestSupport.sessionKey;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.InfrastructureTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint storage is linear in a session's length: each turn stores a delta of bounded size, every 20th version
 * (the default snapshot interval) also the full session, older snapshots are thinned, and every version still reads
 * back whole.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class CheckpointStorageTest {

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    private final List<String> sessions = new ArrayList<>();
    private final List<String> users = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        StateTestSupport.cleanUp(redis, pool, sessions, users);
    }

    private String sessionWithTurns(int turns) {
        String id = uniqueId("s");
        String user = uniqueId("u");
        sessions.add(id);
        users.add(user);
        createSession(id, user).statusCode(201);
        for (int i = 1; i <= turns; i++) {
            appendTurn(id, "t-" + i, "message " + i).statusCode(201);
        }
        return id;
    }

    /** Per version: "snapshot", "delta" or "both", and the stored bytes of the delta. */
    private record Shape(String kind, int deltaBytes) {}

    private Map<Long, Shape> shapes(String id) {
        Map<Long, Shape> shapes = new TreeMap<>();
        for (Row row : pool.preparedQuery("""
                        SELECT c.version, c.checkpoint IS NOT NULL AS snapshot, c.delta IS NOT NULL AS has_delta,
                               coalesce(pg_column_size(c.delta), 0) AS delta_bytes
                        FROM state.checkpoints c WHERE c.thread_id = $1
                        """).execute(Tuple.of(id)).await().indefinitely()) {
            boolean snapshot = row.getBoolean("snapshot");
            boolean delta = row.getBoolean("has_delta");
            shapes.put(
                    row.getLong("version"),
                    new Shape(
                            snapshot && delta ? "both" : snapshot ? "snapshot" : "delta",
                            row.getInteger("delta_bytes")));
        }
        return shapes;
    }

    /** Bytes the session's rows store (pg_column_size of each whole row: compressed and out-of-line values as stored). */
    private long storedBytes(String id) {
        return pool.preparedQuery(
                        "SELECT sum(pg_column_size(c.*))::bigint AS bytes FROM state.checkpoints c WHERE c.thread_id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("bytes");
    }

    @Test
    void turnsStoreDeltasAndOneSnapshotEveryTwentyVersions() {
        String id = sessionWithTurns(45);

        Map<Long, Shape> shapes = shapes(id);
        assertEquals(46, shapes.size());
        assertEquals("snapshot", shapes.get(1L).kind(), "version 1 is the base");
        assertEquals("both", shapes.get(40L).kind(), "the newest periodic snapshot keeps its delta");
        assertEquals("delta", shapes.get(20L).kind(), "an older periodic snapshot is thinned to its delta");
        shapes.forEach((version, shape) -> {
            if (version != 1 && version != 40) {
                assertEquals("delta", shape.kind(), "version " + version);
            }
            if (version > 1) {
                assertTrue(shape.deltaBytes() < 1500, "delta of version " + version + ": " + shape.deltaBytes());
            }
        });

        for (long version : List.of(1L, 2L, 19L, 20L, 21L, 39L, 40L, 41L, 46L)) {
            String checkpointId = checkpointIdAt(id, version);
            JsonPath checkpoint = given().get("/threads/{id}/checkpoints/{cid}", id, checkpointId)
                    .then()
                    .statusCode(200)
                    .body("version", equalTo((int) version))
                    .body("checkpoint.version", equalTo((int) version))
                    .body("checkpoint.last_checkpoint_id", equalTo(checkpointId))
                    .body("checkpoint.messages", hasSize(2 * (int) (version - 1)))
                    .body("checkpoint.turns", hasSize((int) (version - 1)))
                    .extract()
                    .jsonPath();
            if (version > 1) {
                assertEquals("t-" + (version - 1), checkpoint.getString("checkpoint.state.last_turn"));
                assertEquals("message " + (version - 1), checkpoint.getString("checkpoint.messages[-2].content"));
                assertEquals(checkpointId, checkpoint.getString("checkpoint.turns[-1].checkpoint_id"));
            }
        }

        JsonPath live = given().get("/sessions/{id}", id).then().extract().jsonPath();
        redis.key().del(sessionKey(id));
        JsonPath rebuilt = given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("recovered", equalTo(true))
                .extract()
                .jsonPath();
        for (String field : List.of("version", "messages", "turns", "state", "metadata", "last_checkpoint_id")) {
            assertEquals(live.get(field), (Object) rebuilt.get(field), field);
        }
    }

    @Test
    void bytesGrowLinearlyWithTheNumberOfTurns() {
        long hundred = storedBytes(sessionWithTurns(100));
        long twoHundred = storedBytes(sessionWithTurns(200));

        assertTrue(
                twoHundred <= 2.2 * hundred,
                "200 turns store " + twoHundred + " bytes, 100 turns " + hundred + ": more than 2.2x");
    }

    @Test
    void readsAndExtendsSessionsStoredAsFullRows() {
        // rows as written before deltas existed: every version a full session, no delta, no expires_at
        String id = sessionWithTurns(2);
        List<String> full = new ArrayList<>();
        for (long version = 1; version <= 3; version++) {
            full.add(StateTestSupport.sessionJsonAt(pool, id, version));
        }
        pool.preparedQuery("DELETE FROM state.checkpoints WHERE thread_id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely();
        for (int i = 0; i < full.size(); i++) {
            long version = i + 1;
            pool.preparedQuery("""
                    INSERT INTO state.checkpoints (thread_id, checkpoint_id, version, user_id, checkpoint)
                    SELECT $1::text, c->>'last_checkpoint_id', $2::bigint, c->>'user_id', c
                    FROM (SELECT $3::text::jsonb AS c) s
                    """)
                    .execute(Tuple.of(id, version, full.get(i)))
                    .await()
                    .indefinitely();
        }
        redis.key().del(sessionKey(id));

        appendTurn(id, "t-3", "message 3")
                .statusCode(201)
                .body("session.version", equalTo(4))
                .body("session.messages", hasSize(6));
        assertEquals("delta", shapes(id).get(4L).kind());
        redis.key().del(sessionKey(id));
        given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("recovered", equalTo(true))
                .body(
                        "messages.content",
                        equalTo(List.of(
                                "message 1",
                                "answer to message 1",
                                "message 2",
                                "answer to message 2",
                                "message 3",
                                "answer to message 3")));
        given().get("/threads/{id}/checkpoints/{cid}", id, checkpointIdAt(id, 2))
                .then()
                .statusCode(200)
                .body("checkpoint.messages", hasSize(2));
    }

    @Test
    void writesExpiryAsLastWritePlusRetention() {
        String id = sessionWithTurns(1);
        for (Row row : pool.preparedQuery(
                        "SELECT extract(epoch FROM expires_at - created_at) AS seconds FROM state.checkpoints"
                                + " WHERE thread_id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()) {
            assertEquals(Duration.ofDays(30).toSeconds(), row.getDouble("seconds"), 0.001);
        }
    }

    private String checkpointIdAt(String id, long version) {
        return pool.preparedQuery("SELECT checkpoint_id FROM state.checkpoints WHERE thread_id = $1 AND version = $2")
                .execute(Tuple.of(id, version))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("checkpoint_id");
    }
}
