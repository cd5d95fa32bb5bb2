package dev.switchboard.prompts;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.test.InfrastructureTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class PromptEventsTest {

    private static final String PREFIX = "t-events-";

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    ObjectMapper mapper;

    @AfterEach
    void cleanUp() {
        TestPrompts.deleteByPrefix(pool, PREFIX);
    }

    @Test
    void everyChangePublishesItsEventAfterCommit() throws Exception {
        String id = TestPrompts.uniqueId(PREFIX);
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class)
                .subscribe("sb:events:prompts", message -> {
                    try {
                        JsonNode node = mapper.readTree(message);
                        if (id.equals(node.path("prompt_id").asText())) {
                            events.add(node);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        try {
            given().contentType(ContentType.JSON)
                    .body(Map.of("id", id, "type", "utility", "content", "one {{a}}", "variables", List.of("a")))
                    .when()
                    .post("/admin/prompts")
                    .then()
                    .statusCode(201);
            given().contentType(ContentType.JSON)
                    .body(Map.of("content", "two {{a}}"))
                    .when()
                    .put("/admin/prompts/" + id)
                    .then()
                    .statusCode(200);
            // identical content: no new version, no event
            given().contentType(ContentType.JSON)
                    .body(Map.of("content", "two {{a}}"))
                    .when()
                    .put("/admin/prompts/" + id)
                    .then()
                    .statusCode(200);
            given().contentType(ContentType.JSON)
                    .body(Map.of("version", 1))
                    .when()
                    .post("/admin/prompts/" + id + "/labels/production")
                    .then()
                    .statusCode(200);
            given().when().delete("/admin/prompts/" + id).then().statusCode(204);

            await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 4);
            assertEquals(
                    List.of("prompt.created", "prompt.updated", "prompt.label_moved", "prompt.deleted"),
                    events.stream().map(e -> e.path("type").asText()).toList());
            assertEquals(1, events.get(0).path("version").asInt());
            assertEquals(2, events.get(1).path("version").asInt());
            assertEquals(1, events.get(2).path("version").asInt());
            assertEquals("production", events.get(2).path("label").asText());
            assertFalse(events.get(3).has("version"));
            events.forEach(e -> assertNotNull(e.path("timestamp").textValue()));
        } finally {
            subscriber.unsubscribe();
        }
    }

    @Test
    void rejectedChangePublishesNothing() throws Exception {
        String id = TestPrompts.uniqueId(PREFIX);
        List<String> events = new CopyOnWriteArrayList<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class)
                .subscribe("sb:events:prompts", message -> {
                    if (message.contains(id)) {
                        events.add(message);
                    }
                });
        try {
            given().contentType(ContentType.JSON)
                    .body(Map.of("id", id, "type", "utility", "content", "one {{a}}", "variables", List.of("a")))
                    .when()
                    .post("/admin/prompts")
                    .then()
                    .statusCode(201);
            given().contentType(ContentType.JSON)
                    .body(Map.of("content", "{{ broken"))
                    .when()
                    .put("/admin/prompts/" + id)
                    .then()
                    .statusCode(400);
            // a marker change proves delivery has caught up before counting
            given().when().delete("/admin/prompts/" + id).then().statusCode(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
            assertEquals(2, events.size(), events.toString());
            assertEquals(
                    List.of(true, true),
                    List.of(
                            events.get(0).contains("prompt.created"),
                            events.get(1).contains("prompt.deleted")));
        } finally {
            subscriber.unsubscribe();
        }
    }
}
