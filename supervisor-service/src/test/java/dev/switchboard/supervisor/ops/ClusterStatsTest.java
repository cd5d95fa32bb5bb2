package dev.switchboard.supervisor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.routing.AgentNotFoundException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The Redis counters behind {@code GET /system/stats}, exactly: each test uses its own far-future clock, so its
 * buckets are its own even with other replicas or test runs writing the current ones.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class ClusterStatsTest {

    @Inject
    ReactiveRedisDataSource reactive;

    @Inject
    RedisDataSource redis;

    private static long privateEpochSecond() {
        return 4_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
    }

    private ClusterStats at(long epochSecond) {
        return new ClusterStats(reactive, Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    @Test
    void sumsTheLastSixtySecondsOfTurnsByMethodAgentAndError() {
        long t = privateEpochSecond();
        ClusterStats early = at(t - 30);
        ClusterStats now = at(t);
        early.recordTurn("calendar_checker_agent", "semantic", "ok", null)
                .await()
                .indefinitely();
        early.recordTurn("calendar_checker_agent", "semantic", "ok", null)
                .await()
                .indefinitely();
        now.recordTurn("general_assistant_agent", "explicit", "ok", null)
                .await()
                .indefinitely();
        now.recordTurn(
                        "general_assistant_agent",
                        "llm",
                        "error",
                        ClusterStats.errorType(new dev.switchboard.supervisor.agents.LlmNotConfiguredException("x")))
                .await()
                .indefinitely();
        now.recordTurn("none", null, "error", ClusterStats.errorType(new IllegalStateException("bug")))
                .await()
                .indefinitely();
        // 61 s before "now" is outside the window
        at(t - 60)
                .recordTurn("lead_qualification_agent", "default", "ok", null)
                .await()
                .indefinitely();

        ClusterStats.Window window = now.window().await().indefinitely();

        assertEquals(60, window.seconds());
        assertEquals(5, window.turns());
        assertEquals(2, window.errors());
        assertEquals(Map.of("semantic", 2L, "explicit", 1L, "llm", 1L), window.byMethod());
        assertEquals(Map.of("calendar_checker_agent", 2L, "general_assistant_agent", 2L), window.byAgent());
        assertEquals(Map.of("llm-not-configured", 1L, "internal-error", 1L), window.byError());
        assertEquals(5 / 60.0, window.turnsPerSecond(), 1e-9);

        long ttl = redis.key().ttl(ClusterStats.KEY_PREFIX + t);
        assertTrue(ttl > 0 && ttl <= ClusterStats.BUCKET_TTL_SECONDS, "bucket expires, ttl " + ttl);
        assertEquals("2", redis.hash(String.class).hget(ClusterStats.KEY_PREFIX + (t - 30), "method:semantic"));
    }

    @Test
    void emptyWindowIsAllZeros() {
        ClusterStats.Window window = at(privateEpochSecond()).window().await().indefinitely();
        assertEquals(0, window.turns());
        assertEquals(0, window.errors());
        assertTrue(window.byMethod().isEmpty()
                && window.byAgent().isEmpty()
                && window.byError().isEmpty());
    }

    @Test
    void errorTypeIsTheProblemSlug() {
        assertEquals("agent-not-found", ClusterStats.errorType(new AgentNotFoundException("x")));
        assertEquals("internal-error", ClusterStats.errorType(new RuntimeException()));
        assertEquals(null, ClusterStats.errorType(null));
    }
}
