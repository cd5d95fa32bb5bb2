package dev.switchboard.prompts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.common.test.InfrastructureTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RegistryWireMockResource.class, restrictToAnnotatedClass = false)
class AdminPromptResourceTest {

    private static final String PREFIX = "t-admin-";

    @Inject
    Pool pool;

    @Inject
    dev.switchboard.prompts.service.PromptService service;

    @AfterEach
    void cleanUp() {
        TestPrompts.deleteByPrefix(pool, PREFIX);
        RegistryWireMockResource.noAgents();
    }

    private static Map<String, Object> newPrompt(String id, String content, List<String> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("name", "Test prompt");
        body.put("type", "utility");
        body.put("version", "1.0.0");
        body.put("content", content);
        body.put("variables", variables);
        body.put("is_active", true);
        body.put("is_default", false);
        return body;
    }

    private static void create(String id, String content, List<String> variables) {
        given().contentType(ContentType.JSON)
                .body(newPrompt(id, content, variables))
                .when()
                .post("/admin/prompts")
                .then()
                .statusCode(201);
    }

    @Test
    void createReturns201AndDuplicateReturns409() {
        String id = TestPrompts.uniqueId(PREFIX);
        given().contentType(ContentType.JSON)
                .body(newPrompt(id, "Hello {{ name }}", List.of("name")))
                .when()
                .post("/admin/prompts")
                .then()
                .statusCode(201)
                .header("Location", containsString("/admin/prompts/" + id))
                .body("id", equalTo(id))
                .body("version", equalTo(1))
                .body("semver", equalTo("1.0.0"))
                .body("source", equalTo("api"))
                .body("labels.production", equalTo(1))
                .body("labels.staging", equalTo(1))
                .body("variables", contains("name"));

        given().contentType(ContentType.JSON)
                .body(newPrompt(id, "Other {{x}}", List.of("x")))
                .when()
                .post("/admin/prompts")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/prompt-exists"));

        assertEquals(1, TestPrompts.versionCount(pool, id));
        given().when().get("/prompts/" + id).then().statusCode(200).body("content", equalTo("Hello {{ name }}"));
    }

    @Test
    void putCreatesANewVersionButIdenticalPutDoesNot() {
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "v1 {{a}}", List.of("a"));

        Map<String, Object> change = Map.of(
                "content", "v2 {{a}} {{b}}", "variables", List.of("a", "b"), "author", "alice", "message", "add b");
        given().contentType(ContentType.JSON)
                .body(change)
                .when()
                .put("/admin/prompts/" + id)
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("author", equalTo("alice"))
                .body("message", equalTo("add b"))
                .body("labels.production", equalTo(2));
        given().contentType(ContentType.JSON)
                .body(change)
                .when()
                .put("/admin/prompts/" + id)
                .then()
                .statusCode(200)
                .body("version", equalTo(2));

        assertEquals(2, TestPrompts.versionCount(pool, id));
        given().when()
                .get("/admin/prompts/" + id + "/versions")
                .then()
                .statusCode(200)
                .body("count", equalTo(2))
                .body("versions.version", contains(2, 1))
                .body("versions[0].author", equalTo("alice"))
                .body("versions[0].labels", hasItems("production", "staging"))
                .body("versions[1].content", equalTo("v1 {{a}}"));
        given().when()
                .get("/prompts/" + id + "?version=1")
                .then()
                .statusCode(200)
                .body("content", equalTo("v1 {{a}}"));
    }

    @Test
    void movingProductionBackToVersion1RollsBack() {
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "first {{a}}", List.of("a"));
        given().contentType(ContentType.JSON)
                .body(Map.of("content", "second {{a}}"))
                .when()
                .put("/admin/prompts/" + id)
                .then()
                .statusCode(200)
                .body("version", equalTo(2));
        given().when().get("/prompts/" + id + "?label=production").then().body("content", equalTo("second {{a}}"));

        given().contentType(ContentType.JSON)
                .body(Map.of("version", 1))
                .when()
                .post("/admin/prompts/" + id + "/labels/production")
                .then()
                .statusCode(200)
                .body("prompt_id", equalTo(id))
                .body("label", equalTo("production"))
                .body("version", equalTo(1))
                .body("previous_version", equalTo(2));

        given().when()
                .get("/prompts/" + id + "?label=production")
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("content", equalTo("first {{a}}"));
        given().when().get("/prompts/" + id + "?label=staging").then().body("version", equalTo(2));
        assertEquals(1, TestPrompts.labels(pool, id).get("production"));
    }

    @Test
    void labelMovesToUnknownVersionOrPromptAre404AndLatestIsReserved() {
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "x", List.of());
        given().contentType(ContentType.JSON)
                .body(Map.of("version", 7))
                .when()
                .post("/admin/prompts/" + id + "/labels/production")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/version-not-found"));
        given().contentType(ContentType.JSON)
                .body(Map.of("version", 1))
                .when()
                .post("/admin/prompts/" + TestPrompts.uniqueId(PREFIX) + "/labels/production")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/prompt-not-found"));
        given().contentType(ContentType.JSON)
                .body(Map.of("version", 1))
                .when()
                .post("/admin/prompts/" + id + "/labels/latest")
                .then()
                .statusCode(400)
                .body("type", equalTo("https://switchboard.dev/problems/invalid-label"));
        assertEquals(Map.of("production", 1, "staging", 1), TestPrompts.labels(pool, id));
    }

    @Test
    void newLabelCanBeCreatedAndServed() {
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "x", List.of());
        given().contentType(ContentType.JSON)
                .body(Map.of("version", 1))
                .when()
                .post("/admin/prompts/" + id + "/labels/canary")
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("previous_version", nullValue());
        given().when()
                .get("/prompts/" + id + "?label=canary")
                .then()
                .statusCode(200)
                .body("label", equalTo("canary"));
    }

    @Test
    void invalidTemplateIsA400ProblemAndNothingIsWritten() {
        String id = TestPrompts.uniqueId(PREFIX);
        given().contentType(ContentType.JSON)
                .body(newPrompt(id, "Hi {{name}} from {{business}}", List.of("name")))
                .when()
                .post("/admin/prompts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/invalid-template"))
                .body("errors.field", hasItem("variables"))
                .body("detail", containsString("business"));
        given().contentType(ContentType.JSON)
                .body(newPrompt(id, "Hi {{name", List.of("name")))
                .when()
                .post("/admin/prompts")
                .then()
                .statusCode(400)
                .body("type", equalTo("https://switchboard.dev/problems/invalid-template"));
        assertFalse(TestPrompts.promptRowExists(pool, id));

        create(id, "Hi {{name}}", List.of("name"));
        given().contentType(ContentType.JSON)
                .body(Map.of("content", "Bye {{ oops"))
                .when()
                .put("/admin/prompts/" + id)
                .then()
                .statusCode(400)
                .body("type", equalTo("https://switchboard.dev/problems/invalid-template"));
        assertEquals(1, TestPrompts.versionCount(pool, id));
        given().when().get("/prompts/" + id).then().body("content", equalTo("Hi {{name}}"));
    }

    @Test
    void invalidBodyIsA400ValidationProblemAndNothingIsWritten() {
        String id = TestPrompts.uniqueId(PREFIX);
        Map<String, Object> body = newPrompt(id, "x", List.of());
        body.put("type", "poem");
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/admin/prompts")
                .then()
                .statusCode(400)
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"))
                .body("errors.field", hasItem("type"));
        Map<String, Object> badId = newPrompt("bad id!", "x", List.of());
        given().contentType(ContentType.JSON)
                .body(badId)
                .when()
                .post("/admin/prompts")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("id"));
        given().contentType(ContentType.JSON)
                .body("{\"id\":")
                .when()
                .post("/admin/prompts")
                .then()
                .statusCode(400)
                .body("type", equalTo("https://switchboard.dev/problems/malformed-request"));
        assertFalse(TestPrompts.promptRowExists(pool, id));
    }

    @Test
    void deleteHidesThePromptAndSecondDeleteIs404() {
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "x", List.of());
        given().when().delete("/admin/prompts/" + id).then().statusCode(204);
        given().when()
                .get("/prompts/" + id)
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/prompt-not-found"));
        given().when().get("/admin/prompts/" + id).then().statusCode(404);
        given().when().delete("/admin/prompts/" + id).then().statusCode(404);
        given().when().get("/admin/prompts").then().statusCode(200).body("prompts.id", not(hasItem(id)));

        // re-creating a deleted id is allowed and continues its history
        given().contentType(ContentType.JSON)
                .body(newPrompt(id, "again", List.of()))
                .when()
                .post("/admin/prompts")
                .then()
                .statusCode(201)
                .body("version", equalTo(2))
                .body("labels.production", equalTo(2));
    }

    @Test
    void deleteIsRefusedWhileAnActiveAgentUsesThePromptUnlessForced() {
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "You are {{agent_name}}", List.of("agent_name"));
        RegistryWireMockResource.server()
                .stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/agents"))
                        .withQueryParam("status", com.github.tomakehurst.wiremock.client.WireMock.equalTo("active"))
                        // every registry call needs credentials: only one with the service token sees the agents (else
                        // the
                        // default: none, and 204)
                        .withHeader(
                                "Authorization",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                        "Bearer " + dev.switchboard.common.test.TestCredentials.SERVICE_TOKEN))
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"agents\":["
                                + "{\"name\":\"faq_agent\",\"prompt_id\":\"" + id + "\",\"status\":\"active\"},"
                                + "{\"name\":\"other_agent\",\"prompt_id\":\"something-else\",\"status\":\"active\"}],"
                                + "\"count\":2}")));

        given().when()
                .delete("/admin/prompts/" + id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/prompt-in-use"))
                .body("detail", containsString("faq_agent"))
                .body("detail", not(containsString("other_agent")));
        given().when().get("/prompts/" + id).then().statusCode(200);

        given().when().delete("/admin/prompts/" + id + "?force=true").then().statusCode(204);
        given().when().get("/prompts/" + id).then().statusCode(404);
    }

    @Test
    void deleteIsRefusedWhenTheRegistryCannotBeAsked() {
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "x", List.of());
        RegistryWireMockResource.server()
                .stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/agents"))
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.serverError()));

        given().when()
                .delete("/admin/prompts/" + id)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/dependency-unavailable"))
                .header("Retry-After", equalTo("5"));
        given().when().get("/prompts/" + id).then().statusCode(200);
    }

    @Test
    void exportWritesProductionVersionsAsSeedYamlThatReimportsWithoutNewVersions() throws Exception {
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "Line one for {{name}}\nLine two", List.of("name"));
        given().contentType(ContentType.JSON)
                .body(Map.of("content", "Staged {{name}}", "labels", List.of("staging")))
                .when()
                .put("/admin/prompts/" + id)
                .then()
                .statusCode(200);

        String yaml = given().when()
                .get("/admin/prompts/export")
                .then()
                .statusCode(200)
                .contentType(containsString("yaml"))
                .extract()
                .asString();
        List<PromptDefinition> parsed = dev.switchboard.prompts.service.PromptImporter.parse(
                new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        PromptDefinition mine =
                parsed.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
        assertEquals("Line one for {{name}}\nLine two", mine.content(), "the production version, not the staged one");
        assertEquals(List.of("name"), mine.variables());
        assertEquals("utility", mine.type());
        assertEquals("1.0.0", mine.semver());
        PromptDefinition seeded = parsed.stream()
                .filter(p -> p.id().equals("calendar-checker-system"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("bundled prompts are exported too"));
        int versionsBefore = given().get("/admin/prompts/calendar-checker-system/versions")
                .then()
                .statusCode(200)
                .extract()
                .path("count");
        assertEquals(
                dev.switchboard.prompts.service.ImportOutcome.UNCHANGED,
                service.importPrompt(seeded, List.of("production", "staging"))
                        .await()
                        .atMost(java.time.Duration.ofSeconds(10)),
                "the exported file re-imports without writing");
        given().get("/admin/prompts/calendar-checker-system/versions").then().body("count", equalTo(versionsBefore));
    }

    @Test
    void testEndpointReportsMissingAndUnusedVariables() {
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "Hello {{name}}, today is {{day}}", List.of("name", "day"));
        given().contentType(ContentType.JSON)
                .body(Map.of("variables", Map.of("name", "Ann", "colour", "red")))
                .when()
                .post("/admin/prompts/" + id + "/test")
                .then()
                .statusCode(200)
                .body("rendered", equalTo("Hello Ann, today is {{day}}"))
                .body("missing_variables", contains("day"))
                .body("unused_variables", contains("colour"))
                .body("valid", equalTo(false))
                .body("token_estimate", equalTo(7));
        given().contentType(ContentType.JSON)
                .body(Map.of("variables", Map.of("name", "Ann", "day", "Monday")))
                .when()
                .post("/admin/prompts/" + id + "/test")
                .then()
                .statusCode(200)
                .body("valid", equalTo(true))
                .body("missing_variables.size()", equalTo(0));
    }

    @Test
    void listsTypesAndPrompts() {
        given().when()
                .get("/admin/prompts/types")
                .then()
                .statusCode(200)
                .body("types", contains("agent", "router", "rag", "utility"));
        String id = TestPrompts.uniqueId(PREFIX);
        create(id, "x", List.of());
        given().when()
                .get("/admin/prompts?type=utility")
                .then()
                .statusCode(200)
                .body("prompts.id", hasItem(id))
                .body("prompts.type", not(hasItem("agent")));
        given().when()
                .get("/admin/prompts")
                .then()
                .statusCode(200)
                .body("prompts.id", hasItems(id, "calendar-checker-system", "router-intent-classification"))
                .body("prompts.find { it.id == 'general-assistant-system' }.source", startsWith("seed"));
    }
}
