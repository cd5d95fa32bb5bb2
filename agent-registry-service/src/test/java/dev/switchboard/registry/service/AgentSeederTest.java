package dev.switchboard.registry.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.registry.TestAgents;
import dev.switchboard.registry.service.AgentSeeder.Outcome;
import dev.switchboard.registry.service.AgentSeeder.SeedResult;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class AgentSeederTest {

    private static final String PREFIX = "t-seed";

    @Inject
    AgentSeeder seeder;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @TempDir
    Path dir;

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
    }

    private static String yaml(String name, String description, String status) {
        return """
                # test seed
                name: %s
                description: "%s"
                capabilities: [seeding, test]
                version: 1.0.0
                status: %s
                kind: llm
                prompt_id: general-assistant-system
                model:
                  temperature: 0.2
                tools: []
                examples:
                  - "seed me please"
                """.formatted(name, description, status);
    }

    private Map<String, Outcome> seed() {
        return seeder.seedDirectory(dir).await().indefinitely().stream()
                .collect(Collectors.toMap(SeedResult::name, SeedResult::outcome));
    }

    @Test
    void updatesSeedManagedAgentsWhenTheirFileChangesAndNeverApiManagedOnes() throws IOException {
        String seeded = TestAgents.uniqueName(PREFIX + "-a");
        String adopted = TestAgents.uniqueName(PREFIX + "-b");
        Files.writeString(dir.resolve("a.yaml"), yaml(seeded, "Seeded v1", "active"));
        Files.writeString(dir.resolve("b.yml"), yaml(adopted, "Seeded v1", "active"));

        assertEquals(Map.of(seeded, Outcome.INSERTED, adopted, Outcome.INSERTED), seed());
        assertEquals("seed", TestAgents.row(pool, seeded).getString("source"));
        assertEquals(1L, TestAgents.row(pool, seeded).getLong("revision"));

        // same content (a comment changed only): nothing written
        Files.writeString(
                dir.resolve("a.yaml"), yaml(seeded, "Seeded v1", "active").replace("# test seed", "# edited"));
        assertEquals(Map.of(seeded, Outcome.UNCHANGED, adopted, Outcome.UNCHANGED), seed());
        assertEquals(1L, TestAgents.row(pool, seeded).getLong("revision"));

        // runtime changes: a status change keeps the row seed-managed; a registration makes it api-managed
        given().contentType(ContentType.JSON)
                .body(Map.of("status", "draining"))
                .post("/agents/" + seeded + "/status")
                .then()
                .statusCode(200);
        Map<String, Object> apiBody = TestAgents.llmAgent(adopted, "Changed through the API", "seeding");
        given().contentType(ContentType.JSON)
                .body(apiBody)
                .post("/agents")
                .then()
                .statusCode(200);
        assertEquals("api", TestAgents.row(pool, adopted).getString("source"));

        Files.writeString(dir.resolve("a.yaml"), yaml(seeded, "Seeded v2", "active"));
        Files.writeString(dir.resolve("b.yml"), yaml(adopted, "Seeded v2", "active"));
        assertEquals(Map.of(seeded, Outcome.UPDATED, adopted, Outcome.API_MANAGED), seed());

        assertEquals("Seeded v2", TestAgents.row(pool, seeded).getString("description"));
        assertEquals("draining", TestAgents.row(pool, seeded).getString("status"), "status is runtime state");
        assertEquals(3L, TestAgents.row(pool, seeded).getLong("revision"));
        assertEquals("Changed through the API", TestAgents.row(pool, adopted).getString("description"));
        assertEquals(2L, TestAgents.row(pool, adopted).getLong("revision"));
        given().get("/agents/" + seeded)
                .then()
                .statusCode(200)
                .body("description", org.hamcrest.Matchers.equalTo("Seeded v2"));
    }

    @Test
    void skipsInvalidFilesAndSeedsTheRest() throws IOException {
        String good = TestAgents.uniqueName(PREFIX + "-good");
        String bad = TestAgents.uniqueName(PREFIX + "-bad");
        Files.writeString(dir.resolve("good.yaml"), yaml(good, "Valid", "active"));
        Files.writeString(
                dir.resolve("bad.yaml"),
                yaml(bad, "Remote without endpoint", "active").replace("kind: llm", "kind: remote"));
        Files.writeString(dir.resolve("broken.yaml"), "name: [unclosed\n");
        Files.writeString(dir.resolve("notes.txt"), "not an agent");

        List<SeedResult> results = seeder.seedDirectory(dir).await().indefinitely();

        assertEquals(List.of(good), results.stream().map(SeedResult::name).toList());
        assertEquals("Valid", TestAgents.row(pool, good).getString("description"));
        assertNull(TestAgents.row(pool, bad));
    }

    @Test
    void skipsFilesWithTextPostgresCannotStoreAndReadsNumbersAsText() throws IOException {
        String good = TestAgents.uniqueName(PREFIX + "-num");
        String nul = TestAgents.uniqueName(PREFIX + "-nul");
        String key = TestAgents.uniqueName(PREFIX + "-key");
        // YAML has no quoting discipline: an unquoted 2 is a number, and a seeded agent's version is still text
        Files.writeString(
                dir.resolve("good.yaml"), yaml(good, "Numbers", "active").replace("version: 1.0.0", "version: 2"));
        Files.writeString(dir.resolve("nul.yaml"), yaml(nul, "Has a \\0 in it", "active"));
        Files.writeString(
                dir.resolve("key.yaml"), yaml(key, "Bad key", "active") + "metadata:\n  a:\n    \"b\\0\": 1\n");

        List<SeedResult> results = seeder.seedDirectory(dir).await().indefinitely();

        assertEquals(List.of(good), results.stream().map(SeedResult::name).toList());
        assertEquals("2", TestAgents.row(pool, good).getString("version"));
        assertNull(TestAgents.row(pool, nul));
        assertNull(TestAgents.row(pool, key));
    }

    @Test
    void seedingTheSameFilesTwiceConcurrentlyInsertsOnce() throws IOException {
        String name = TestAgents.uniqueName(PREFIX + "-race");
        Files.writeString(dir.resolve("race.yaml"), yaml(name, "Two replicas start", "active"));
        var first = seeder.seedDirectory(dir).subscribeAsCompletionStage();
        var second = seeder.seedDirectory(dir).subscribeAsCompletionStage();
        List<Outcome> outcomes =
                List.of(first.join().get(0).outcome(), second.join().get(0).outcome());

        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.INSERTED).count(), outcomes.toString());
        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.UNCHANGED).count(), outcomes.toString());
        assertEquals(1L, TestAgents.row(pool, name).getLong("revision"));
    }
}
