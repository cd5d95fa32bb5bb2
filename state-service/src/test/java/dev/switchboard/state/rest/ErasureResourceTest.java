package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.appendTurn;
import static dev.switchboard.state.rest.StateTestSupport.checkpointRows;
import static dev.switchboard.state.rest.StateTestSupport.createSession;
import static dev.switchboard.state.rest.StateTestSupport.sessionKey;
import static dev.switchboard.state.rest.StateTestSupport.turnBody;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static dev.switchboard.state.rest.StateTestSupport.userKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /erasures}: a user's or named sessions go with their checkpoints, forks and Redis keys, other people's
 * stay, and a write that was in flight during the erasure (its fencing token is older) cannot bring them back.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class ErasureResourceTest {

    private static final String PROBLEM = "https://switchboard.dev/problems/";
    /** A lease token from long before any erasure a test makes (tokens are Redis time in milliseconds). */
    private static final long OLD_TOKEN = 100;

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

    private String user(String prefix) {
        String id = uniqueId(prefix);
        users.add(id);
        return id;
    }

    private String sessionWithTurns(String userId, int turns) {
        String id = uniqueId("erase");
        sessions.add(id);
        createSession(id, userId).statusCode(201);
        for (int i = 1; i <= turns; i++) {
            appendTurn(id, "t-" + i, "private text " + i + " of " + userId).statusCode(201);
        }
        return id;
    }

    private String fork(String sourceId) {
        String checkpointId = given().get("/threads/{id}/checkpoints", sourceId)
                .then()
                .statusCode(200)
                .extract()
                .path("checkpoints[0].checkpoint_id");
        String forkId = uniqueId("fork");
        sessions.add(forkId);
        given().contentType(ContentType.JSON)
                .body(Map.of("session_id", forkId))
                .post("/threads/{id}/checkpoints/{cid}/fork", sourceId, checkpointId)
                .then()
                .statusCode(201);
        return forkId;
    }

    private static ValidatableResponse erase(Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/erasures")
                .then();
    }

    private long rowsOfUser(String userId) {
        return pool.preparedQuery("SELECT count(*) AS n FROM state.checkpoints WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("n");
    }

    /** Rows anywhere in schema state whose text mentions {@code value} (ids, messages, metadata). */
    private long rowsMentioning(String value) {
        return pool.preparedQuery("SELECT count(*) AS n FROM state.checkpoints c WHERE strpos(c::text, $1) > 0")
                .execute(Tuple.of(value))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("n");
    }

    private List<String> redisKeysMentioning(String value) {
        List<String> found = new ArrayList<>();
        for (String key : redis.key().keys("sb:state:*")) {
            String type = redis.key().type(key).name();
            String content = switch (type) {
                case "HASH" -> redis.hash(String.class).hgetall(key).toString();
                case "SET" -> redis.set(String.class).smembers(key).toString();
                case "STRING" -> String.valueOf(redis.value(String.class).get(key));
                default -> "";
            };
            if (key.contains(value) || content.contains(value)) {
                found.add(key);
            }
        }
        return found;
    }

    @Test
    void erasesEverySessionOfAUserWithItsForksAndKeys() {
        String alice = user("alice");
        String bob = user("bob");
        String first = sessionWithTurns(alice, 2);
        String second = sessionWithTurns(alice, 1);
        String forked = fork(first);
        String bobs = sessionWithTurns(bob, 1);
        assertTrue(rowsMentioning(alice) > 0);
        assertFalse(redisKeysMentioning(alice).isEmpty());

        erase(Map.of("user_id", alice))
                .statusCode(200)
                .body("sessions", equalTo(3))
                // first: create + 2 turns; second: create + 1 turn; the fork: 1
                .body("checkpoints", equalTo(6))
                // the three session copies (the user's index goes with its last entry)
                .body("redis_keys", equalTo(3))
                .body("session_ids", containsInAnyOrder(first, second, forked));

        assertEquals(0, rowsOfUser(alice));
        assertEquals(0, rowsMentioning(alice), "no checkpoint mentions the user");
        for (String id : List.of(first, second, forked)) {
            assertEquals(0, checkpointRows(pool, id));
            assertEquals(0, redis.key().exists(sessionKey(id)) ? 1 : 0);
            given().get("/sessions/{id}", id).then().statusCode(404);
        }
        assertEquals(List.of(), redisKeysMentioning(alice), "no Redis key or value names the user");
        assertFalse(redis.key().exists(userKey(alice)));

        // someone else's data stays
        assertEquals(2, checkpointRows(pool, bobs));
        given().get("/sessions/{id}", bobs).then().statusCode(200).body("messages.size()", equalTo(2));

        // erasing again is fine: nothing left
        erase(Map.of("user_id", alice))
                .statusCode(200)
                .body("sessions", equalTo(0))
                .body("checkpoints", equalTo(0))
                .body("redis_keys", equalTo(0))
                .body("session_ids", empty());
    }

    @Test
    void erasesNamedSessionsAndWhatWasForkedFromThem() {
        String contact = user("contact");
        String contactSession = "ghl:loc-" + contact + ":" + contact;
        sessions.add(contactSession);
        createSession(contactSession, contact).statusCode(201);
        appendTurn(contactSession, "t-1", "my phone is 555-0100").statusCode(201);
        String forked = fork(contactSession);
        String forkOfFork = fork(forked);
        String unrelated = sessionWithTurns(contact, 1);

        erase(Map.of("session_ids", List.of(contactSession)))
                .statusCode(200)
                .body("sessions", equalTo(3))
                .body("checkpoints", equalTo(4))
                .body("session_ids", containsInAnyOrder(contactSession, forked, forkOfFork));

        for (String id : List.of(contactSession, forked, forkOfFork)) {
            assertEquals(0, checkpointRows(pool, id));
            assertEquals(0, rowsMentioning(id));
            assertEquals(List.of(), redisKeysMentioning(id));
        }
        assertEquals(0, rowsMentioning("555-0100"));
        // a session erasure does not touch the other sessions of the same user id
        assertEquals(2, checkpointRows(pool, unrelated));
        assertEquals(
                List.of(unrelated),
                List.copyOf(redis.set(String.class).smembers(userKey(contact))),
                "only the erased sessions left the user's index");
    }

    @Test
    void aWriteFromBeforeTheErasureCannotBringTheSessionBack() {
        String carol = user("carol");
        String id = sessionWithTurns(carol, 1);
        given().contentType(ContentType.JSON)
                .header("X-Fencing-Token", Long.toString(OLD_TOKEN))
                .body(turnBody("t-2", "before the erasure"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201);
        // what another state-service replica still holds: the Redis copy it loaded before the erasure
        Map<String, String> staleCopy = new HashMap<>(redis.hash(String.class).hgetall(sessionKey(id)));
        long version = Long.parseLong(staleCopy.get("version"));

        erase(Map.of("user_id", carol)).statusCode(200).body("sessions", equalTo(1));

        // the turn that was in flight (its lease token predates the erasure) lands now: the session is gone
        given().contentType(ContentType.JSON)
                .header("X-Fencing-Token", Long.toString(OLD_TOKEN))
                .body(turnBody("t-3", "in flight"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(404);
        // ... and neither re-creating it nor starting it with the old token brings it back
        given().contentType(ContentType.JSON)
                .header("X-Fencing-Token", Long.toString(OLD_TOKEN))
                .body(Map.of("session_id", id, "user_id", carol))
                .post("/sessions")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "stale-fencing-token"));
        Map<String, Object> start = new HashMap<>(turnBody("t-3", "in flight"));
        start.put("user_id", carol);
        given().contentType(ContentType.JSON)
                .header("X-Fencing-Token", Long.toString(OLD_TOKEN))
                .header("If-None-Match", "*")
                .body(start)
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "stale-fencing-token"));
        // a new session of the same user started by that turn is refused too (the user's fence)
        String other = uniqueId("erase");
        sessions.add(other);
        given().contentType(ContentType.JSON)
                .header("X-Fencing-Token", Long.toString(OLD_TOKEN))
                .header("If-None-Match", "*")
                .body(start)
                .post("/sessions/{id}/turns", other)
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "stale-fencing-token"));

        // a replica that loaded the session before the erasure appends to its copy: the parent row is gone, the write
        // would become a base holding the whole session; the fence takes it back
        redis.hash(String.class).hset(sessionKey(id), staleCopy);
        given().contentType(ContentType.JSON)
                .header("X-Fencing-Token", Long.toString(OLD_TOKEN))
                .header("If-Match", Long.toString(version))
                .body(turnBody("t-4", "stale replica"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "stale-fencing-token"));

        assertEquals(0, rowsOfUser(carol));
        assertEquals(0, rowsMentioning(carol));
        assertFalse(redis.key().exists(sessionKey(id)));
        assertEquals(0, checkpointRows(pool, other));

        // the user's next turn (a lease taken after the erasure) and unfenced writes start afresh
        long now = System.currentTimeMillis() + 60_000;
        given().contentType(ContentType.JSON)
                .header("X-Fencing-Token", Long.toString(now))
                .header("If-None-Match", "*")
                .body(start)
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201)
                .body("session.version", equalTo(1))
                .body("session.messages.size()", equalTo(2));
        createSession(other, carol).statusCode(201);
    }

    @Test
    void refusesAnErasureWithoutSubject() {
        erase(Map.of())
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "validation-failed"));
        erase(Map.of("session_ids", List.of())).statusCode(400).body("type", equalTo(PROBLEM + "validation-failed"));
        erase(Map.of("user_id", "not valid/id"))
                .statusCode(400)
                .body("type", equalTo(PROBLEM + "validation-failed"))
                .body("errors.size()", greaterThanOrEqualTo(1));
    }
}
