package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.appendTurn;
import static dev.switchboard.state.rest.StateTestSupport.checkpointRows;
import static dev.switchboard.state.rest.StateTestSupport.checkpointVersions;
import static dev.switchboard.state.rest.StateTestSupport.createSession;
import static dev.switchboard.state.rest.StateTestSupport.sessionKey;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static dev.switchboard.state.rest.StateTestSupport.userKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.state.service.CheckpointSweeper;
import dev.switchboard.state.service.CheckpointSweeper.SweepResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retention sweeper: expired sessions go whole (PostgreSQL and Redis), keep-last trims, replicas never overlap. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class CheckpointRetentionTest {

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @Inject
    CheckpointSweeper sweeper;

    @Inject
    MeterRegistry registry;

    private final List<String> sessions = new ArrayList<>();
    private final List<String> users = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        StateTestSupport.cleanUp(redis, pool, sessions, users);
    }

    private String sessionWithTurns(String user, int turns) {
        String id = uniqueId("s");
        sessions.add(id);
        createSession(id, user).statusCode(201);
        for (int i = 1; i <= turns; i++) {
            appendTurn(id, "t-" + i, "message " + i).statusCode(201);
        }
        return id;
    }

    /** The session's last write happened longer ago than the retention. */
    private void age(String id) {
        pool.preparedQuery("UPDATE state.checkpoints SET expires_at = now() - interval '1 minute' WHERE thread_id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely();
    }

    private double counter(String name, String reason) {
        return registry.get(name).tag("reason", reason).counter().count();
    }

    @Test
    void expiredSessionsVanishFromPostgresAndRedis() {
        String user = uniqueId("u");
        users.add(user);
        String expired = sessionWithTurns(user, 3);
        String active = sessionWithTurns(user, 1);
        age(expired);
        double rowsBefore = counter("switchboard.checkpoints.swept", "expired");
        double bytesBefore = counter("switchboard.checkpoint.bytes.swept", "expired");

        SweepResult result = sweeper.sweep().await().indefinitely();

        assertTrue(result.expiredSessions().contains(expired));
        assertFalse(result.expiredSessions().contains(active));
        assertEquals(0, checkpointRows(pool, expired));
        assertFalse(redis.key().exists(sessionKey(expired)), "Redis copy expired with it");
        assertFalse(redis.set(String.class).smembers(userKey(user)).contains(expired));
        given().get("/sessions/{id}", expired).then().statusCode(404);
        given().get("/sessions/{id}", active).then().statusCode(200).body("version", equalTo(2));
        given().get("/sessions/user/{user}", user)
                .then()
                .body("sessions", hasSize(1))
                .body("sessions[0].session_id", equalTo(active));

        assertTrue(counter("switchboard.checkpoints.swept", "expired") - rowsBefore >= 4);
        assertTrue(counter("switchboard.checkpoint.bytes.swept", "expired") - bytesBefore > 0);
        given().get("/q/metrics")
                .then()
                .body(containsString("switchboard_checkpoints_swept_total{reason=\"expired\""))
                .body(containsString("switchboard_checkpoint_bytes_swept_total{reason=\"keep_last\""));
    }

    @Test
    void keepLastKeepsTheNewestVersionsAndForkSources() {
        String user = uniqueId("u");
        users.add(user);
        String id = sessionWithTurns(user, 30); // versions 1..31; 20 is the newest periodic snapshot
        String forkedAt3 = fork(id, 3);
        String forkedAt20 = fork(id, 20);

        SweepResult result = sweeper.sweep(5, 10).await().indefinitely();

        assertTrue(result.prunedSessions().contains(id));
        assertEquals(List.of(3L, 20L, 27L, 28L, 29L, 30L, 31L), checkpointVersions(pool, id));
        assertEquals(List.of(1L), checkpointVersions(pool, forkedAt3));
        assertEquals(List.of(1L), checkpointVersions(pool, forkedAt20));
        for (long version : List.of(3L, 20L, 27L)) {
            assertEquals(1, baseRows(id, version), "version " + version + " is a base");
        }
        assertEveryCheckpointReads(id);
        given().get("/threads/{id}/checkpoints", id)
                .then()
                .body("checkpoints.version", equalTo(List.of(31, 30, 29, 28, 27, 20, 3)));

        // the session goes on (crossing the snapshot at 40, which must not thin the kept bases) and is rebuilt
        for (int i = 31; i <= 44; i++) {
            appendTurn(id, "t-" + i, "message " + i).statusCode(201);
        }
        redis.key().del(sessionKey(id));
        given().get("/sessions/{id}", id)
                .then()
                .body("recovered", equalTo(true))
                .body("version", equalTo(45))
                .body("messages", hasSize(88));
        assertEveryCheckpointReads(id);

        sweeper.sweep(5, 10).await().indefinitely();
        List<Long> kept = new ArrayList<>(List.of(3L, 20L));
        LongStream.rangeClosed(41, 45).forEach(kept::add);
        assertEquals(kept, checkpointVersions(pool, id));
        assertEveryCheckpointReads(id);

        SweepResult again = sweeper.sweep(5, 10).await().indefinitely();
        assertFalse(again.prunedSessions().contains(id), "nothing left to prune");
    }

    @Test
    void concurrentSweepersNeverSweepTheSameSession() {
        sweeper.sweep().await().indefinitely(); // whatever earlier runs left expired
        String user = uniqueId("u");
        users.add(user);
        Set<String> expired = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            String id = sessionWithTurns(user, 2);
            age(id);
            expired.add(id);
        }
        double rowsBefore = counter("switchboard.checkpoints.swept", "expired");

        var both = Uni.combine()
                .all()
                .unis(sweeper.sweep(100, 2), sweeper.sweep(100, 2))
                .asTuple()
                .await()
                .indefinitely();

        List<String> first = both.getItem1().expiredSessions();
        List<String> second = both.getItem2().expiredSessions();
        Set<String> overlap = new HashSet<>(first);
        overlap.retainAll(second);
        assertEquals(Set.of(), overlap, "sessions swept by both");
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        assertTrue(all.containsAll(expired), "every expired session swept");
        long rows = both.getItem1().expiredRows() + both.getItem2().expiredRows();
        assertEquals(rows, (long) (counter("switchboard.checkpoints.swept", "expired") - rowsBefore));
        assertEquals(expired.size() * 3L, rows, "each of the 36 rows deleted once");
        for (String id : expired) {
            assertEquals(0, checkpointRows(pool, id));
        }
    }

    @Test
    void concurrentSweepersNeverPruneTheSameSession() {
        sweeper.sweep(3, 100).await().indefinitely(); // whatever earlier runs left beyond 3 versions
        String user = uniqueId("u");
        users.add(user);
        Set<String> longSessions = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            longSessions.add(sessionWithTurns(user, 8)); // versions 1..9: keeping 3 removes 1..6
        }
        double rowsBefore = counter("switchboard.checkpoints.swept", "keep_last");

        var both = Uni.combine()
                .all()
                .unis(sweeper.sweep(3, 2), sweeper.sweep(3, 2))
                .asTuple()
                .await()
                .indefinitely();

        Set<String> overlap = new HashSet<>(both.getItem1().prunedSessions());
        overlap.retainAll(both.getItem2().prunedSessions());
        assertEquals(Set.of(), overlap, "sessions pruned by both");
        long rows = both.getItem1().prunedRows() + both.getItem2().prunedRows();
        assertEquals(rows, (long) (counter("switchboard.checkpoints.swept", "keep_last") - rowsBefore));
        assertEquals(longSessions.size() * 6L, rows, "each of the 36 rows deleted once");
        for (String id : longSessions) {
            assertEquals(List.of(7L, 8L, 9L), checkpointVersions(pool, id));
            assertEveryCheckpointReads(id);
        }
    }

    private String fork(String id, long version) {
        String forkId = uniqueId("fork");
        sessions.add(forkId);
        given().contentType(ContentType.JSON)
                .body(Map.of("session_id", forkId))
                .post("/threads/{id}/checkpoints/{cid}/fork", id, checkpointIdAt(id, version))
                .then()
                .statusCode(201)
                .body("messages", hasSize(2 * (int) (version - 1)));
        return forkId;
    }

    /** Every stored checkpoint reads back with the history of its version. */
    private void assertEveryCheckpointReads(String id) {
        for (long version : checkpointVersions(pool, id)) {
            given().get("/threads/{id}/checkpoints/{cid}", id, checkpointIdAt(id, version))
                    .then()
                    .statusCode(200)
                    .body("checkpoint.version", equalTo((int) version))
                    .body("checkpoint.messages", hasSize(2 * (int) (version - 1)))
                    .body("checkpoint.turns", hasSize((int) (version - 1)));
        }
    }

    private long baseRows(String id, long version) {
        return pool.preparedQuery("SELECT count(*) AS n FROM state.checkpoints"
                        + " WHERE thread_id = $1 AND version = $2 AND checkpoint IS NOT NULL AND delta IS NULL")
                .execute(Tuple.of(id, version))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("n");
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
