package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.appendTurn;
import static dev.switchboard.state.rest.StateTestSupport.createSession;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.switchboard.common.test.InfrastructureTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class ObservabilityTest {

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @Test
    void readinessIsQuarkusRedisAndPostgresChecks() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(
                        "checks.name",
                        hasItems("Redis connection health check", "Reactive PostgreSQL connections health check"));
    }

    @Test
    void exposesTurnTimerAndOpenApi() {
        String id = uniqueId("s");
        try {
            createSession(id, null).statusCode(201);
            appendTurn(id, "t-1", "hi").statusCode(201);
            given().get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .body(containsString("switchboard_state_turn_append_seconds_count{result=\"created\""))
                    .body(containsString("switchboard_state_recoveries_total"));
        } finally {
            StateTestSupport.cleanUp(redis, pool, List.of(id), List.of());
        }
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(containsString("/sessions/{id}/turns"))
                .body(containsString("/threads/{thread_id}/checkpoints/{checkpoint_id}/fork"));
    }
}
