package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.checkpointRows;
import static dev.switchboard.state.rest.StateTestSupport.createSession;
import static dev.switchboard.state.rest.StateTestSupport.redisVersion;
import static dev.switchboard.state.rest.StateTestSupport.sessionJsonAt;
import static dev.switchboard.state.rest.StateTestSupport.sessionKey;
import static dev.switchboard.state.rest.StateTestSupport.turnBody;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.common.lease.SessionLeaseKeys;
import dev.switchboard.common.test.InfrastructureTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code X-Fencing-Token} on turn appends, starts and PATCH: a writer that lost its lease cannot write, whether the newer
 * holder already wrote (the session's highest token) or not yet (its lease in Redis, keys as the supervisor writes them).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class FencingTokenTest {

    private static final String PROBLEM = "https://switchboard.dev/problems/";

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry meters;

    private final List<String> sessions = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        StateTestSupport.cleanUp(redis, pool, sessions, List.of());
        for (String id : sessions) {
            redis.key().del(SessionLeaseKeys.leaseKey(id), SessionLeaseKeys.fenceKey(id));
        }
    }

    /** A supervisor takes the session's lease, as its acquire script does: the lease (with its TTL) and the fence. */
    private void leaseTaken(String id, String supervisor, long token) {
        redis.value(String.class)
                .set(
                        SessionLeaseKeys.leaseKey(id),
                        supervisor + "|req-" + token + "|" + token,
                        new SetArgs().px(60_000));
        redis.value(String.class)
                .set(SessionLeaseKeys.fenceKey(id), Long.toString(token), new SetArgs().px(86_400_000));
    }

    /** The lease key is gone (expired or released); the fence key keeps the token of the newest lease granted. */
    private void leaseEnded(String id) {
        redis.key().del(SessionLeaseKeys.leaseKey(id));
    }

    private double refusedAgainstLease() {
        return meters.counter("switchboard.state.fencing.refused", "against", "lease")
                .count();
    }

    private String newSession() {
        String id = uniqueId("fence");
        sessions.add(id);
        createSession(id, null).statusCode(201);
        return id;
    }

    private static ValidatableResponse fencedTurn(String id, String turnId, Object token) {
        return given().contentType(ContentType.JSON)
                .header("X-Fencing-Token", token.toString())
                .body(turnBody(turnId, "text of " + turnId))
                .post("/sessions/{id}/turns", id)
                .then();
    }

    private static ValidatableResponse fencedPatch(String id, long version, Object token) {
        return given().contentType(ContentType.JSON)
                .header("If-Match", Long.toString(version))
                .header("X-Fencing-Token", token.toString())
                .body(Map.of("state", Map.of("k", token.toString())))
                .patch("/sessions/{id}", id)
                .then();
    }

    @Test
    void storesTheHighestTokenAndAcceptsEqualOrHigher() {
        String id = newSession();

        fencedTurn(id, "t-1", 100).statusCode(201).body("session.fencing_token", equalTo(100));
        fencedTurn(id, "t-2", 100).statusCode(201).body("session.fencing_token", equalTo(100));
        fencedTurn(id, "t-3", 250)
                .statusCode(201)
                .body("session.fencing_token", equalTo(250))
                .body("session.version", equalTo(4));

        given().get("/sessions/{id}", id).then().statusCode(200).body("fencing_token", equalTo(250));
        assertEquals(250L, snapshotToken(id, 4), "the checkpoint snapshot keeps the token");
    }

    @Test
    void staleTokenOnTurnIs409AndWritesNothing() {
        String id = newSession();
        fencedTurn(id, "t-1", 200).statusCode(201);

        fencedTurn(id, "t-2", 199)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "stale-fencing-token"))
                .body("status", equalTo(409));

        assertEquals(2, checkpointRows(pool, id));
        assertEquals("2", redisVersion(redis, id));
        given().get("/sessions/{id}", id)
                .then()
                .body("turns", hasSize(1))
                .body("messages", hasSize(2))
                .body("fencing_token", equalTo(200));
    }

    @Test
    void staleTokenOnPatchIs409AndWritesNothing() {
        String id = newSession();
        fencedPatch(id, 1, 300).statusCode(200).body("version", equalTo(2)).body("fencing_token", equalTo(300));

        fencedPatch(id, 2, 299).statusCode(409).body("type", equalTo(PROBLEM + "stale-fencing-token"));

        assertEquals(2, checkpointRows(pool, id));
        given().get("/sessions/{id}", id).then().body("state.k", equalTo("300"));
        fencedPatch(id, 2, 301).statusCode(200).body("version", equalTo(3)).body("fencing_token", equalTo(301));
    }

    @Test
    void writesWithoutTheHeaderAreAcceptedAndKeepTheStoredToken() {
        String id = newSession();
        given().contentType(ContentType.JSON)
                .body(turnBody("t-0", "unfenced"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201)
                .body("session.fencing_token", org.hamcrest.Matchers.nullValue());
        fencedTurn(id, "t-1", 500).statusCode(201);

        given().contentType(ContentType.JSON)
                .body(turnBody("t-2", "admin"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201)
                .body("session.fencing_token", equalTo(500));
        given().contentType(ContentType.JSON)
                .header("If-Match", "4")
                .body(Map.of("metadata", Map.of("a", 1)))
                .patch("/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("fencing_token", equalTo(500));
        fencedTurn(id, "t-3", 499).statusCode(409);
        assertEquals(5, checkpointRows(pool, id));
    }

    @Test
    void staleTokenIsRefusedEvenWhenTheRedisCopyIsOlder() {
        String id = newSession();
        fencedTurn(id, "t-1", 10).statusCode(201);
        // another replica accepted token 20 as version 3 in PostgreSQL; this instance's Redis copy says version 2
        pool.preparedQuery("""
                INSERT INTO state.checkpoints (thread_id, checkpoint_id, parent_id, version, user_id, checkpoint, metadata)
                SELECT thread_id, 'other-3', checkpoint_id, 3, user_id,
                       jsonb_set(jsonb_set(jsonb_set($2::text::jsonb, '{version}', '3'), '{last_checkpoint_id}', '"other-3"'),
                                 '{fencing_token}', '20'),
                       '{"source":"other-replica"}'
                FROM state.checkpoints WHERE thread_id = $1 AND version = 2
                """)
                .execute(Tuple.of(id, sessionJsonAt(pool, id, 2)))
                .await()
                .indefinitely();
        assertEquals("2", redisVersion(redis, id));

        fencedTurn(id, "t-2", 15).statusCode(409).body("type", equalTo(PROBLEM + "stale-fencing-token"));
        assertEquals(3, checkpointRows(pool, id));
        fencedTurn(id, "t-3", 20).statusCode(201).body("session.version", equalTo(4));
    }

    @Test
    void tokenSurvivesLosingTheRedisCopy() {
        String id = newSession();
        fencedTurn(id, "t-1", 700).statusCode(201);
        redis.key().del(sessionKey(id));

        fencedTurn(id, "t-2", 650).statusCode(409).body("type", equalTo(PROBLEM + "stale-fencing-token"));
        assertEquals(2, checkpointRows(pool, id));
    }

    @Test
    void olderTokenIsRefusedOnceANewerLeaseIsHeldEvenBeforeItsHolderWrote() {
        String id = newSession();
        leaseTaken(id, "supervisor-a", 1000);
        fencedTurn(id, "t-1", 1000).statusCode(201);
        // supervisor-a stalls past its TTL; supervisor-b takes the session and is still running its turn
        leaseEnded(id);
        leaseTaken(id, "supervisor-b", 1001);
        double refusedBefore = refusedAgainstLease();

        fencedTurn(id, "t-2", 1000)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "stale-fencing-token"))
                .body("status", equalTo(409))
                .body("detail", containsString("1001"));

        assertEquals(2, checkpointRows(pool, id), "nothing written");
        assertEquals(refusedBefore + 1, refusedAgainstLease());
        fencedTurn(id, "t-3", 1001)
                .statusCode(201)
                .body("session.version", equalTo(3))
                .body("session.fencing_token", equalTo(1001));
        given().get("/sessions/{id}", id)
                .then()
                .body("turns.turn_id", equalTo(List.of("t-1", "t-3")))
                .body("messages", hasSize(4));
    }

    @Test
    void olderTokenOnPatchIsRefusedOnceANewerLeaseIsHeld() {
        String id = newSession();
        leaseTaken(id, "supervisor-a", 2000);
        fencedPatch(id, 1, 2000).statusCode(200).body("version", equalTo(2));
        leaseEnded(id);
        leaseTaken(id, "supervisor-b", 2001);

        fencedPatch(id, 2, 2000).statusCode(409).body("type", equalTo(PROBLEM + "stale-fencing-token"));

        assertEquals(2, checkpointRows(pool, id));
        given().get("/sessions/{id}", id).then().body("state.k", equalTo("2000"));
        fencedPatch(id, 2, 2001).statusCode(200).body("version", equalTo(3));
    }

    @Test
    void olderTokenStartingASessionIsRefusedOnceANewerLeaseIsHeld() {
        String id = uniqueId("fence");
        sessions.add(id);
        leaseTaken(id, "supervisor-b", 3001);

        startingTurn(id, "t-1", 3000).statusCode(409).body("type", equalTo(PROBLEM + "stale-fencing-token"));

        assertEquals(0, checkpointRows(pool, id), "the session was not created");
        given().get("/sessions/{id}", id).then().statusCode(404);
        startingTurn(id, "t-2", 3001).statusCode(201).body("session.version", equalTo(1));
    }

    @Test
    void lastHoldersWriteIsAcceptedAfterItsLeaseExpiredWhenNobodyTookTheSession() {
        String id = newSession();
        leaseTaken(id, "supervisor-a", 4000);
        fencedTurn(id, "t-1", 4000).statusCode(201);
        leaseEnded(id);

        fencedTurn(id, "t-2", 4000).statusCode(201).body("session.version", equalTo(3));
    }

    @Test
    void olderTokenIsRefusedWhenANewerLeaseWasGrantedAndEndedWithoutAWrite() {
        String id = newSession();
        leaseTaken(id, "supervisor-a", 5000);
        fencedTurn(id, "t-1", 5000).statusCode(201);
        leaseEnded(id);
        leaseTaken(id, "supervisor-b", 5001);
        leaseEnded(id); // supervisor-b released the session without writing

        fencedTurn(id, "t-2", 5000).statusCode(409).body("type", equalTo(PROBLEM + "stale-fencing-token"));
        assertEquals(2, checkpointRows(pool, id));
    }

    @Test
    void newerHoldersTokenStillFencesWhenRedisLostTheLeaseAndTheSessionCopy() {
        String id = newSession();
        leaseTaken(id, "supervisor-b", 6001);
        fencedTurn(id, "t-1", 6001).statusCode(201);
        // a Redis flush: lease, fence and session copy gone; PostgreSQL still holds the highest token
        redis.key().del(SessionLeaseKeys.leaseKey(id), SessionLeaseKeys.fenceKey(id), sessionKey(id));

        fencedTurn(id, "t-2", 6000).statusCode(409).body("type", equalTo(PROBLEM + "stale-fencing-token"));
        assertEquals(2, checkpointRows(pool, id));
    }

    @Test
    void unfencedWritesAreNotCheckedAgainstTheLease() {
        String id = newSession();
        leaseTaken(id, "supervisor-b", 7001);

        given().contentType(ContentType.JSON)
                .body(turnBody("t-admin", "operator note"))
                .post("/sessions/{id}/turns", id)
                .then()
                .statusCode(201);
    }

    private static ValidatableResponse startingTurn(String id, String turnId, long token) {
        return given().contentType(ContentType.JSON)
                .header("If-None-Match", "*")
                .header("X-Fencing-Token", Long.toString(token))
                .body(turnBody(turnId, "text of " + turnId))
                .post("/sessions/{id}/turns", id)
                .then();
    }

    @Test
    void malformedTokenIs400() {
        String id = newSession();
        fencedTurn(id, "t-1", "abc")
                .statusCode(400)
                .body("type", equalTo(PROBLEM + "validation-failed"))
                .body("errors[0].field", equalTo("X-Fencing-Token"));
        assertEquals(1, checkpointRows(pool, id));
    }

    private long snapshotToken(String id, long version) {
        return pool.preparedQuery(
                        "SELECT (coalesce(delta, checkpoint)->>'fencing_token')::bigint AS t FROM state.checkpoints "
                                + "WHERE thread_id = $1 AND version = $2")
                .execute(Tuple.of(id, version))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("t");
    }
}
