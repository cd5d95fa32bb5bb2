package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.appendTurn;
import static dev.switchboard.state.rest.StateTestSupport.checkpointRows;
import static dev.switchboard.state.rest.StateTestSupport.createSession;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.switchboard.common.test.InfrastructureTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class CheckpointResourceTest {

    private static final String PROBLEM = "https://switchboard.dev/problems/";

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

    /** A session with a create checkpoint and {@code turns} turn checkpoints. */
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

    @Test
    void listsCheckpointsNewestFirstInPages() {
        String id = sessionWithTurns(4);

        JsonPath first = given().queryParam("limit", 2)
                .get("/threads/{id}/checkpoints", id)
                .then()
                .statusCode(200)
                .body("thread_id", equalTo(id))
                .body("checkpoints", hasSize(2))
                .body("checkpoints[0].version", equalTo(5))
                .body("checkpoints[0].metadata.source", equalTo("turn"))
                .body("checkpoints[0].metadata.turn_id", equalTo("t-4"))
                .body("checkpoints[1].version", equalTo(4))
                .body("next", notNullValue())
                .extract()
                .jsonPath();
        assertEquals(first.getString("checkpoints[1].checkpoint_id"), first.getString("checkpoints[0].parent_id"));

        JsonPath second = given().queryParam("limit", 2)
                .queryParam("before", first.getString("next"))
                .get("/threads/{id}/checkpoints", id)
                .then()
                .statusCode(200)
                .body("checkpoints.version", equalTo(List.of(3, 2)))
                .extract()
                .jsonPath();

        given().queryParam("limit", 2)
                .queryParam("before", second.getString("next"))
                .get("/threads/{id}/checkpoints", id)
                .then()
                .statusCode(200)
                .body("checkpoints.version", equalTo(List.of(1)))
                .body("checkpoints[0].parent_id", nullValue())
                .body("checkpoints[0].metadata.source", equalTo("create"))
                .body("$", org.hamcrest.Matchers.hasKey("next"))
                .body("next", nullValue());

        given().get("/threads/{id}/checkpoints", id).then().statusCode(200).body("checkpoints", hasSize(5));
    }

    @Test
    void rejectsBadPagingAndUnknownSessions() {
        String id = sessionWithTurns(1);
        given().queryParam("limit", 0)
                .get("/threads/{id}/checkpoints", id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().queryParam("limit", 101)
                .get("/threads/{id}/checkpoints", id)
                .then()
                .statusCode(400);
        given().queryParam("before", "nope")
                .get("/threads/{id}/checkpoints", id)
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM + "checkpoint-not-found"));
        given().get("/threads/{id}/checkpoints", uniqueId("s"))
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM + "session-not-found"));
    }

    @Test
    void returnsCheckpointWithFullSnapshot() {
        String id = sessionWithTurns(2);
        String checkpointId = given().get("/threads/{id}/checkpoints", id)
                .then()
                .statusCode(200)
                .extract()
                .path("checkpoints[1].checkpoint_id");

        given().get("/threads/{id}/checkpoints/{cid}", id, checkpointId)
                .then()
                .statusCode(200)
                .body("thread_id", equalTo(id))
                .body("checkpoint_id", equalTo(checkpointId))
                .body("version", equalTo(2))
                .body("parent_id", notNullValue())
                .body("created_at", notNullValue())
                .body("metadata.turn_id", equalTo("t-1"))
                .body("checkpoint.session_id", equalTo(id))
                .body("checkpoint.version", equalTo(2))
                .body("checkpoint.last_checkpoint_id", equalTo(checkpointId))
                .body("checkpoint.messages", hasSize(2))
                .body("checkpoint.turns[0].checkpoint_id", equalTo(checkpointId));

        given().get("/threads/{id}/checkpoints/{cid}", id, "missing")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "checkpoint-not-found"));
    }

    @Test
    void forksNewSessionFromPastCheckpoint() {
        String id = sessionWithTurns(3);
        JsonPath source = given().get(
                        "/threads/{id}/checkpoints/{cid}",
                        id,
                        given().get("/threads/{id}/checkpoints", id)
                                .then()
                                .extract()
                                .path("checkpoints[1].checkpoint_id"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String forkId = uniqueId("fork");
        sessions.add(forkId);

        JsonPath fork = given().contentType(ContentType.JSON)
                .body(Map.of("session_id", forkId))
                .post("/threads/{id}/checkpoints/{cid}/fork", id, source.getString("checkpoint_id"))
                .then()
                .statusCode(201)
                .header("ETag", "\"1\"")
                .body("session_id", equalTo(forkId))
                .body("version", equalTo(1))
                .body("messages", hasSize(4))
                .extract()
                .jsonPath();
        assertEquals(source.getList("checkpoint.messages"), fork.getList("messages"));
        assertEquals(source.getList("checkpoint.turns"), fork.getList("turns"));
        assertEquals(source.getString("checkpoint.user_id"), fork.getString("user_id"));
        assertNotEquals(source.getString("checkpoint_id"), fork.getString("last_checkpoint_id"));
        assertEquals(1, checkpointRows(pool, forkId));
        assertEquals(4, checkpointRows(pool, id), "source session untouched");

        given().get("/threads/{id}/checkpoints", forkId)
                .then()
                .statusCode(200)
                .body("checkpoints[0].metadata.source", equalTo("fork"))
                .body("checkpoints[0].metadata.forked_from.thread_id", equalTo(id));
        appendTurn(forkId, "t-9", "diverge").statusCode(201).body("session.version", equalTo(2));
        given().get("/sessions/{id}", id).then().body("version", equalTo(4)).body("messages", hasSize(6));

        given().contentType(ContentType.JSON)
                .body(Map.of("session_id", forkId))
                .post("/threads/{id}/checkpoints/{cid}/fork", id, source.getString("checkpoint_id"))
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "session-exists"));
        given().post("/threads/{id}/checkpoints/{cid}/fork", id, "missing")
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM + "checkpoint-not-found"));
    }

    @Test
    void forkWithoutBodyGeneratesId() {
        String id = sessionWithTurns(1);
        String cid =
                given().get("/threads/{id}/checkpoints", id).then().extract().path("checkpoints[0].checkpoint_id");
        String forkId = given().post("/threads/{id}/checkpoints/{cid}/fork", id, cid)
                .then()
                .statusCode(201)
                .body("messages", hasSize(2))
                .extract()
                .path("session_id");
        sessions.add(forkId);
        assertNotEquals(id, forkId);
    }
}
