package dev.switchboard.registry.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.registry.TestAgents;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class AgentCacheTest {

    private static final String PREFIX = "t-cache";

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
    }

    /** Simulates a Redis flush of everything this service keeps there (other modules' keys are left alone). */
    private void flushRegistryKeys() {
        List<String> keys = redis.key().keys(AgentCache.PREFIX + "*");
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
    }

    @Test
    void servesReadsFromPostgresqlAfterRedisFlushAndRepopulates() {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON).body(TestAgents.llmAgent(name, "Survives a flush", "durable"))
                .post("/agents").then().statusCode(201);
        given().get("/agents/" + name).then().statusCode(200);
        assertTrue(redis.key().exists(AgentCache.agentKey(name)), "a read caches the agent");

        flushRegistryKeys();
        assertFalse(redis.key().exists(AgentCache.agentKey(name)));

        given().get("/agents/" + name).then().statusCode(200)
                .body("description", equalTo("Survives a flush"))
                .body("revision", equalTo(1));
        given().queryParam("capability", "durable").get("/agents").then().statusCode(200)
                .body("agents.name", hasItem(name));
        given().get("/agents/calendar_checker_agent").then().statusCode(200)
                .body("capabilities", org.hamcrest.Matchers.contains("calendar", "availability_check"));
        assertTrue(redis.key().exists(AgentCache.agentKey(name)), "the PostgreSQL read repopulated the cache");
        assertTrue(redis.key().exists(AgentCache.PREFIX + "agents"), "the list was repopulated too");
    }

    @Test
    void readsComeFromTheCacheAndWritesInvalidateIt() {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON).body(TestAgents.llmAgent(name, "Original")).post("/agents")
                .then().statusCode(201);
        given().get("/agents/" + name).then().statusCode(200).body("description", equalTo("Original"));

        // Changed behind the service's back: the cached copy is what a read serves.
        pool.preparedQuery("UPDATE registry.agents SET description = 'Changed in SQL' WHERE name = $1")
                .execute(Tuple.of(name)).await().indefinitely();
        given().get("/agents/" + name).then().statusCode(200).body("description", equalTo("Original"));

        // A write through the API invalidates: the next read sees PostgreSQL.
        given().contentType(ContentType.JSON).body(Map.of("status", "inactive")).post("/agents/" + name + "/status")
                .then().statusCode(200);
        given().get("/agents/" + name).then().statusCode(200)
                .body("description", equalTo("Changed in SQL"))
                .body("status", equalTo("inactive"));
        given().queryParam("status", "inactive").get("/agents").then().statusCode(200)
                .body("agents.name", hasItem(name));
    }
}
