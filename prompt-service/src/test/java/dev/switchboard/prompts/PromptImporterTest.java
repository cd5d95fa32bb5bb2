package dev.switchboard.prompts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.prompts.service.ImportOutcome;
import dev.switchboard.prompts.service.PromptImporter;
import dev.switchboard.prompts.service.PromptService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class PromptImporterTest {

    private static final String PREFIX = "t-import-";
    private static final List<String> SEEDED = List.of(
            "calendar-checker-system",
            "appointment-booking-system",
            "lead-qualification-system",
            "general-assistant-system",
            "router-intent-classification");
    private static final List<String> LABELS = List.of("production", "staging");

    @Inject
    PromptImporter importer;

    @Inject
    PromptService service;

    @Inject
    Pool pool;

    @AfterEach
    void cleanUp() {
        TestPrompts.deleteByPrefix(pool, PREFIX);
    }

    private static PromptDefinition definition(String id, String content) {
        return new PromptDefinition(
                id, "Imported", "agent", "1.0.0", content, null, Map.of("temperature", 0.2), true, false);
    }

    @Test
    void importingTwiceWritesNoNewVersions() {
        importer.importAll().await().indefinitely();
        Map<String, Long> before = new HashMap<>();
        SEEDED.forEach(id -> before.put(id, TestPrompts.versionCount(pool, id)));

        Map<ImportOutcome, Integer> outcome = importer.importAll().await().indefinitely();

        SEEDED.forEach(id -> assertEquals(before.get(id), TestPrompts.versionCount(pool, id), id));
        assertEquals(null, outcome.get(ImportOutcome.CREATED));
        assertEquals(null, outcome.get(ImportOutcome.UPDATED));
        SEEDED.forEach(id -> assertTrue(TestPrompts.labels(pool, id).containsKey("production"), id));
    }

    @Test
    void newPromptGetsVersion1LabelledProductionAndStaging() {
        String id = TestPrompts.uniqueId(PREFIX);
        assertEquals(
                ImportOutcome.CREATED,
                service.importPrompt(definition(id, "Hi {{x}}"), LABELS).await().indefinitely());
        assertEquals(
                ImportOutcome.UNCHANGED,
                service.importPrompt(definition(id, "Hi {{x}}"), LABELS).await().indefinitely());

        assertEquals(1, TestPrompts.versionCount(pool, id));
        assertEquals(Map.of("production", 1, "staging", 1), TestPrompts.labels(pool, id));
        given().when()
                .get("/admin/prompts/" + id)
                .then()
                .statusCode(200)
                .body("source", equalTo("seed"))
                .body("author", equalTo("seed-import"))
                .body("model_config.temperature", equalTo(0.2f));
    }

    @Test
    void changedSeedContentBecomesANewProductionVersion() {
        String id = TestPrompts.uniqueId(PREFIX);
        service.importPrompt(definition(id, "old {{x}}"), LABELS).await().indefinitely();

        assertEquals(
                ImportOutcome.UPDATED,
                service.importPrompt(definition(id, "new {{x}}"), LABELS)
                        .await()
                        .indefinitely());

        assertEquals(2, TestPrompts.versionCount(pool, id));
        given().when()
                .get("/prompts/" + id + "?label=production")
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("content", equalTo("new {{x}}"));
    }

    @Test
    void promptsChangedThroughTheApiAreNotOverwritten() {
        String id = TestPrompts.uniqueId(PREFIX);
        service.importPrompt(definition(id, "seed {{x}}"), LABELS).await().indefinitely();
        given().contentType(ContentType.JSON)
                .body(Map.of("content", "edited by admin {{x}}"))
                .when()
                .put("/admin/prompts/" + id)
                .then()
                .statusCode(200)
                .body("source", equalTo("api"));

        assertEquals(
                ImportOutcome.SKIPPED,
                service.importPrompt(definition(id, "seed changed {{x}}"), LABELS)
                        .await()
                        .indefinitely());

        assertEquals(2, TestPrompts.versionCount(pool, id));
        given().when().get("/prompts/" + id).then().body("content", equalTo("edited by admin {{x}}"));
    }

    @Test
    void twoReplicasImportingAtOnceWriteOneVersion() {
        String id = TestPrompts.uniqueId(PREFIX);
        PromptDefinition def = definition(id, "Race {{x}}");

        List<ImportOutcome> outcomes = Uni.combine()
                .all()
                .unis(service.importPrompt(def, LABELS), service.importPrompt(def, LABELS))
                .with(ImportOutcome.class, list -> list)
                .await()
                .indefinitely();

        assertEquals(Set.of(ImportOutcome.CREATED, ImportOutcome.UNCHANGED), Set.copyOf(outcomes));
        assertEquals(1, TestPrompts.versionCount(pool, id));
    }

    @Test
    void invalidSeedIsRejectedAndNothingWritten() {
        String id = TestPrompts.uniqueId(PREFIX);
        PromptDefinition bad =
                new PromptDefinition(id, "Bad", "agent", "1.0.0", "Hi {{x}} {{y}}", List.of("x"), null, true, false);

        Uni<ImportOutcome> result = service.importPrompt(bad, LABELS);

        assertTrue(result.onFailure(InvalidTemplateException.class)
                        .recoverWithItem((ImportOutcome) null)
                        .await()
                        .indefinitely()
                == null);
        assertTrue(!TestPrompts.promptRowExists(pool, id));
    }
}
