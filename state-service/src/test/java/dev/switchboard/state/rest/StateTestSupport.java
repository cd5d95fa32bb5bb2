package dev.switchboard.state.rest;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the resource tests need to look at Redis and PostgreSQL directly. */
final class StateTestSupport {

    private StateTestSupport() {}

    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static String sessionKey(String sessionId) {
        return "sb:state:session:" + sessionId;
    }

    static String userKey(String userId) {
        return "sb:state:user:" + userId;
    }

    static long checkpointRows(Pool pool, String sessionId) {
        return pool.preparedQuery("SELECT count(*) AS n FROM state.checkpoints WHERE thread_id = $1")
                .execute(Tuple.of(sessionId))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("n");
    }

    static List<Long> checkpointVersions(Pool pool, String sessionId) {
        return pool
                .preparedQuery("SELECT version FROM state.checkpoints WHERE thread_id = $1 ORDER BY version")
                .execute(Tuple.of(sessionId))
                .await()
                .indefinitely()
                .stream()
                .map(row -> row.getLong("version"))
                .toList();
    }

    /**
     * The full session JSON at a version, read through the checkpoint API: a row may hold only that version's delta,
     * so tests that copy a version as another replica's write start from this.
     */
    static String sessionJsonAt(Pool pool, String sessionId, long version) {
        String checkpointId = pool.preparedQuery(
                        "SELECT checkpoint_id FROM state.checkpoints WHERE thread_id = $1 AND version = $2")
                .execute(Tuple.of(sessionId, version))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("checkpoint_id");
        String body = given().get("/threads/{id}/checkpoints/{cid}", sessionId, checkpointId)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        try {
            return new ObjectMapper().readTree(body).get("checkpoint").toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String redisVersion(RedisDataSource redis, String sessionId) {
        return redis.hash(String.class).hget(sessionKey(sessionId), "version");
    }

    /** Creates a session for {@code userId} and returns the response for further assertions. */
    static ValidatableResponse createSession(String sessionId, String userId) {
        return given().contentType(ContentType.JSON)
                .body(
                        userId == null
                                ? Map.of("session_id", sessionId)
                                : Map.of("session_id", sessionId, "user_id", userId))
                .post("/sessions")
                .then();
    }

    /** Appends a one-exchange turn without If-Match. */
    static ValidatableResponse appendTurn(String sessionId, String turnId, String userText) {
        return given().contentType(ContentType.JSON)
                .body(turnBody(turnId, userText))
                .post("/sessions/{id}/turns", sessionId)
                .then();
    }

    static Map<String, Object> turnBody(String turnId, String userText) {
        return Map.of(
                "turn_id",
                turnId,
                "agent",
                "general_assistant_agent",
                "routing",
                Map.of("method", "semantic", "score", 0.82),
                "messages",
                List.of(
                        Map.of("role", "user", "content", userText),
                        Map.of("role", "assistant", "content", "answer to " + userText)),
                "state_patch",
                Map.of("last_turn", turnId));
    }

    /** Removes whatever a test left behind for these sessions and users. */
    static void cleanUp(RedisDataSource redis, Pool pool, List<String> sessionIds, List<String> userIds) {
        for (String id : sessionIds) {
            redis.key().del(sessionKey(id));
            pool.preparedQuery("DELETE FROM state.checkpoints WHERE thread_id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
        }
        for (String user : userIds) {
            redis.key().del(userKey(user));
        }
    }
}
