package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.appendTurn;
import static dev.switchboard.state.rest.StateTestSupport.checkpointRows;
import static dev.switchboard.state.rest.StateTestSupport.createSession;
import static dev.switchboard.state.rest.StateTestSupport.redisVersion;
import static dev.switchboard.state.rest.StateTestSupport.sessionKey;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static dev.switchboard.state.rest.StateTestSupport.userKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
class SessionResourceTest {

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

    private String newSessionId() {
        String id = uniqueId("s");
        sessions.add(id);
        return id;
    }

    private String newUserId() {
        String id = uniqueId("u");
        users.add(id);
        return id;
    }

    @Test
    void createsSessionThenLoadsItAndRejectsAnotherUser() {
        String id = newSessionId();
        String user = newUserId();

        createSession(id, user)
                .statusCode(201)
                .header("ETag", "\"1\"")
                .body("session_id", equalTo(id))
                .body("user_id", equalTo(user))
                .body("version", equalTo(1))
                .body("messages", hasSize(0))
                .body("recovered", equalTo(false))
                .body("last_checkpoint_id", notNullValue());
        createSession(id, user).statusCode(200).body("version", equalTo(1));
        createSession(id, null).statusCode(200).body("user_id", equalTo(user));

        createSession(id, newUserId())
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "session-user-mismatch"))
                .body("status", equalTo(409));
        assertEquals(1, checkpointRows(pool, id));
    }

    @Test
    void readsTheCopyAnotherReplicaWroteNotItsOwnParsedOne() throws Exception {
        String id = newSessionId();
        String user = newUserId();
        createSession(id, user).statusCode(201);
        appendTurn(id, "t1", "first").statusCode(201);
        given().get("/sessions/{id}", id).then().statusCode(200).body("messages", hasSize(2));

        // another state-service replica writes version 3 to Redis: the copy this replica parsed is now stale
        var hash = redis.hash(String.class);
        var json = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(hash.hget(sessionKey(id), "session"));
        json.put("version", 3)
                .put("last_checkpoint_id", "other-replica-checkpoint")
                .putObject("state")
                .put("written_by", "other replica");
        hash.hset(
                sessionKey(id),
                Map.of("version", "3", "checkpoint", "other-replica-checkpoint", "session", json.toString()));

        given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("version", equalTo(3))
                .body("state.written_by", equalTo("other replica"));

        // a replica of an older release writes version 4 without knowing the checkpoint field
        json.put("version", 4).putObject("state").put("written_by", "older release");
        hash.hset(sessionKey(id), Map.of("version", "4", "session", json.toString()));
        given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("version", equalTo(4))
                .body("state.written_by", equalTo("older release"));
    }

    @Test
    void generatesIdWhenAbsent() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("state", Map.of("lang", "en")))
                .post("/sessions")
                .then()
                .statusCode(201)
                .body("state.lang", equalTo("en"))
                .extract()
                .path("session_id");
        sessions.add(id);
        assertTrue(id.matches("[A-Za-z0-9._:-]{1,128}"));
        assertEquals(1, checkpointRows(pool, id));

        String bare = given().post("/sessions").then().statusCode(201).extract().path("session_id");
        sessions.add(bare);
        assertEquals(1, checkpointRows(pool, bare));
    }

    @Test
    void returns404ProblemForUnknownSession() {
        String id = newSessionId();
        given().get("/sessions/{id}", id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "session-not-found"))
                .body("title", equalTo("Session not found"))
                .body("status", equalTo(404))
                .body("detail", containsString(id))
                .body("instance", equalTo("/sessions/" + id));
    }

    @Test
    void patchesWithMatchingVersionAndMergesState() {
        String id = newSessionId();
        given().contentType(ContentType.JSON)
                .body(Map.of("session_id", id, "state", Map.of("a", 1, "b", Map.of("c", 2, "d", 3))))
                .post("/sessions")
                .then()
                .statusCode(201);

        given().contentType(ContentType.JSON)
                .header("If-Match", "\"1\"")
                .body("{\"state\":{\"a\":null,\"b\":{\"c\":20},\"e\":\"x\"},\"metadata\":{\"channel\":\"web\"}}")
                .patch("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("version", equalTo(2))
                .body("state.a", nullValue())
                .body("state.b.c", equalTo(20))
                .body("state.b.d", equalTo(3))
                .body("state.e", equalTo("x"))
                .body("metadata.channel", equalTo("web"));
        assertEquals(2, checkpointRows(pool, id));
        assertEquals("2", redisVersion(redis, id));
    }

    @Test
    void rejectsStalePatchWith412AndWritesNothing() {
        String id = newSessionId();
        createSession(id, null).statusCode(201);
        appendTurn(id, "t-1", "hello").statusCode(201);

        given().contentType(ContentType.JSON)
                .header("If-Match", "1")
                .body(Map.of("state", Map.of("lost", true)))
                .patch("/sessions/{id}", id)
                .then()
                .statusCode(412)
                .contentType("application/problem+json")
                .header("ETag", "\"2\"")
                .body("type", equalTo(PROBLEM + "version-conflict"));

        assertEquals(2, checkpointRows(pool, id));
        assertEquals("2", redisVersion(redis, id));
        given().get("/sessions/{id}", id).then().statusCode(200).body("state.lost", nullValue());
    }

    @Test
    void requiresIfMatchOnPatchAndRejectsMalformedOnes() {
        String id = newSessionId();
        createSession(id, null).statusCode(201);

        given().contentType(ContentType.JSON)
                .body(Map.of("state", Map.of("x", 1)))
                .patch("/sessions/{id}", id)
                .then()
                .statusCode(428)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "precondition-required"));
        given().contentType(ContentType.JSON)
                .header("If-Match", "abc")
                .body(Map.of("state", Map.of("x", 1)))
                .patch("/sessions/{id}", id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("If-Match"));
        assertEquals(1, checkpointRows(pool, id));
    }

    @Test
    void patchOfUnknownSessionIs404() {
        given().contentType(ContentType.JSON)
                .header("If-Match", "1")
                .body(Map.of("state", Map.of("x", 1)))
                .patch("/sessions/{id}", newSessionId())
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM + "session-not-found"));
    }

    @Test
    void slidesTtlOnRead() {
        String id = newSessionId();
        String user = newUserId();
        createSession(id, user).statusCode(201);
        assertTrue(redis.key().ttl(sessionKey(id)) > 3000);
        assertTrue(redis.key().ttl(userKey(user)) > 3000);

        redis.key().expire(sessionKey(id), 50);
        redis.key().expire(userKey(user), 50);
        given().get("/sessions/{id}", id).then().statusCode(200).body("recovered", equalTo(false));

        assertTrue(redis.key().ttl(sessionKey(id)) > 3000, "session TTL refreshed by the read");
        assertTrue(redis.key().ttl(userKey(user)) > 3000, "user index TTL refreshed by the read");
    }

    @Test
    void rebuildsSessionFromCheckpointAfterRedisLoss() {
        String id = newSessionId();
        String user = newUserId();
        createSession(id, user).statusCode(201);
        appendTurn(id, "t-1", "first").statusCode(201);
        appendTurn(id, "t-2", "second").statusCode(201);
        JsonPath before = given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        double recoveriesBefore = recoveries();

        redis.key().del(sessionKey(id), userKey(user));

        JsonPath rebuilt = given().get("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"3\"")
                .body("recovered", equalTo(true))
                .extract()
                .jsonPath();
        assertEquals(before.getList("messages"), rebuilt.getList("messages"));
        assertEquals(before.getList("turns"), rebuilt.getList("turns"));
        assertEquals(before.getMap("state"), rebuilt.getMap("state"));
        assertEquals(before.getLong("version"), rebuilt.getLong("version"));
        assertEquals(before.getString("last_checkpoint_id"), rebuilt.getString("last_checkpoint_id"));
        assertEquals("3", redisVersion(redis, id), "re-cached");
        assertTrue(recoveries() >= recoveriesBefore + 1);

        given().get("/sessions/{id}", id).then().statusCode(200).body("recovered", equalTo(false));
    }

    @Test
    void turnOnSessionMissingFromRedisRecoversAndContinues() {
        String id = newSessionId();
        createSession(id, null).statusCode(201);
        appendTurn(id, "t-1", "first").statusCode(201);
        redis.key().del(sessionKey(id));

        appendTurn(id, "t-2", "second")
                .statusCode(201)
                .body("session.recovered", equalTo(true))
                .body("session.version", equalTo(3))
                .body("session.messages", hasSize(4));
        assertEquals(3, checkpointRows(pool, id));
    }

    @Test
    void listsUserSessionsAndFallsBackToPostgres() {
        String user = newUserId();
        String first = newSessionId();
        String second = newSessionId();
        createSession(first, user).statusCode(201);
        createSession(second, user).statusCode(201);
        appendTurn(second, "t-1", "hi").statusCode(201);
        createSession(newSessionId(), newUserId()).statusCode(201);

        given().get("/sessions/user/{user}", user)
                .then()
                .statusCode(200)
                .body("user_id", equalTo(user))
                .body("sessions", hasSize(2))
                .body("sessions[0].session_id", equalTo(second))
                .body("sessions[0].version", equalTo(2))
                .body("sessions[0].message_count", equalTo(2))
                .body("sessions[0].updated_at", notNullValue())
                .body("sessions[1].session_id", equalTo(first));

        redis.key().del(userKey(user), sessionKey(first), sessionKey(second));

        given().get("/sessions/user/{user}", user)
                .then()
                .statusCode(200)
                .body("sessions", hasSize(2))
                .body("sessions[0].session_id", equalTo(second))
                .body("sessions[0].message_count", equalTo(2));
        assertEquals(2, redis.set(String.class).smembers(userKey(user)).size(), "index rebuilt");
    }

    @Test
    void listsNoSessionsForUnknownUser() {
        given().get("/sessions/user/{user}", newUserId()).then().statusCode(200).body("sessions", hasSize(0));
    }

    @Test
    void deleteRemovesRedisKeysAndCheckpoints() {
        String id = newSessionId();
        String user = newUserId();
        createSession(id, user).statusCode(201);
        appendTurn(id, "t-1", "hi").statusCode(201);

        given().delete("/sessions/{id}", id).then().statusCode(204);

        assertEquals(0, checkpointRows(pool, id));
        assertFalse(redis.key().exists(sessionKey(id)));
        assertFalse(redis.set(String.class).sismember(userKey(user), id));
        given().get("/sessions/{id}", id).then().statusCode(404);
        given().delete("/sessions/{id}", id)
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM + "session-not-found"));
    }

    @Test
    void rejectsMalformedJsonAndBadIdsWithoutWriting() {
        String id = newSessionId();
        given().contentType(ContentType.JSON)
                .body("{\"session_id\": \"" + id + "\", ")
                .post("/sessions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "malformed-request"));
        given().contentType(ContentType.JSON)
                .body(Map.of("session_id", id, "state", "not an object"))
                .post("/sessions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("session_id", "bad id!"))
                .post("/sessions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("session_id"));
        given().contentType(ContentType.JSON)
                .body(Map.of("session_id", id, "user_id", "x".repeat(129)))
                .post("/sessions")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("user_id"));
        given().get("/sessions/{id}", "bad$id")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "validation-failed"));

        assertEquals(0, checkpointRows(pool, id));
        assertNull(redisVersion(redis, id));
    }

    private static double recoveries() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("switchboard_state_recoveries_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
