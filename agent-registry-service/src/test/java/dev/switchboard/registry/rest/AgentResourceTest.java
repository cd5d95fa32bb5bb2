package dev.switchboard.registry.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.registry.AgentEvents;
import dev.switchboard.registry.TestAgents;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class AgentResourceTest {

    private static final String PREFIX = "t-res";
    private static final String PROBLEM = "application/problem+json";

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    private AgentEvents events;

    @BeforeEach
    void subscribe() {
        events = AgentEvents.subscribe(redis);
    }

    @AfterEach
    void unsubscribe() {
        events.close();
    }

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
    }

    @Test
    void seededAgentsArePresentWithTheirBundledContent() {
        given().when()
                .get("/agents/calendar_checker_agent")
                .then()
                .statusCode(200)
                .body("name", equalTo("calendar_checker_agent"))
                .body("description", equalTo("Checks calendar availability and events"))
                .body("capabilities", contains("calendar", "availability_check"))
                .body("status", equalTo("active"))
                .body("kind", equalTo("llm"))
                .body("version", equalTo("1.0.0"))
                .body("prompt_id", equalTo("calendar-checker-system"))
                .body("is_default", equalTo(false))
                .body("revision", notNullValue());

        given().when()
                .get("/agents")
                .then()
                .statusCode(200)
                .body(
                        "agents.name",
                        hasItems(
                                "appointment_booking_agent",
                                "calendar_checker_agent",
                                "general_assistant_agent",
                                "lead_qualification_agent"))
                .body(
                        "count",
                        equalTo(given().get("/agents")
                                .jsonPath()
                                .getList("agents")
                                .size()));

        given().when()
                .get("/agents/general_assistant_agent")
                .then()
                .statusCode(200)
                .body("is_default", equalTo(true));
    }

    @Test
    void registersNewAgentWith201ThenSameBodyWith200AndUnchangedRevision() {
        String name = TestAgents.uniqueName(PREFIX);
        Map<String, Object> body = TestAgents.llmAgent(name, "Answers questions about invoices", "billing");

        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/agents")
                .then()
                .statusCode(201)
                .header("Location", containsString("/agents/" + name))
                .body("name", equalTo(name))
                .body("revision", equalTo(1))
                .body("status", equalTo("active"))
                .body("model", equalTo(null))
                .body("created_at", notNullValue());

        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/agents")
                .then()
                .statusCode(200)
                .body("revision", equalTo(1))
                .body("description", equalTo("Answers questions about invoices"));

        body.put("description", "Answers questions about invoices and refunds");
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/agents")
                .then()
                .statusCode(200)
                .body("revision", equalTo(2))
                .body("description", equalTo("Answers questions about invoices and refunds"));

        assertEquals(2L, TestAgents.row(pool, name).getLong("revision"));
        assertEquals("api", TestAgents.row(pool, name).getString("source"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.typesFor(name).equals(List.of("agent.registered", "agent.updated")));
        assertEquals(
                List.of(1, 2),
                events.forAgent(name).stream()
                        .map(e -> e.path("revision").asInt())
                        .toList());
        events.forAgent(name)
                .forEach(e -> assertEquals(false, e.path("timestamp").asText().isEmpty()));
    }

    @Test
    void concurrentRegistrationsEndInOneConsistentRowWithOneEventPerRealChange() throws Exception {
        String name = TestAgents.uniqueName(PREFIX);
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String json = "{\"name\":\"" + name + "\",\"description\":\"Variant " + (i % 5) + "\","
                    + "\"capabilities\":[\"race\"],\"examples\":[\"ex " + (i % 3) + "\"]}";
            calls.add(client.sendAsync(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/agents"))
                            .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var call : calls) {
            statuses.add(call.get().statusCode());
        }
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "exactly one call creates: " + statuses);
        assertEquals(49, statuses.stream().filter(s -> s == 200).count(), "the others find it: " + statuses);

        long revision = TestAgents.row(pool, name).getLong("revision");
        List<Integer> expected = new ArrayList<>();
        for (int r = 1; r <= revision; r++) {
            expected.add(r);
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(
                        expected,
                        events.forAgent(name).stream()
                                .map(e -> e.path("revision").asInt())
                                .sorted()
                                .toList(),
                        "one event per real change, revisions 1..N without gaps"));
        assertEquals(
                1,
                events.typesFor(name).stream()
                        .filter("agent.registered"::equals)
                        .count());

        String description = TestAgents.row(pool, name).getString("description");
        given().when()
                .get("/agents/" + name)
                .then()
                .statusCode(200)
                .body("revision", equalTo((int) revision))
                .body("description", equalTo(description));
        given().when()
                .get("/agents?capability=race")
                .then()
                .statusCode(200)
                .body("agents.find { it.name == '" + name + "' }.revision", equalTo((int) revision));
    }

    @Test
    void filtersByCapabilityAndStatus() {
        String cap = TestAgents.uniqueName("cap");
        String a = TestAgents.uniqueName(PREFIX + "-a");
        String b = TestAgents.uniqueName(PREFIX + "-b");
        String c = TestAgents.uniqueName(PREFIX + "-c");
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(a, "Agent A", cap, "x"))
                .post("/agents")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(b, "Agent B", cap))
                .post("/agents")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(c, "Agent C", "other"))
                .post("/agents")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("status", "inactive"))
                .post("/agents/" + b + "/status")
                .then()
                .statusCode(200)
                .body("status", equalTo("inactive"))
                .body("revision", equalTo(2));

        given().queryParam("capability", cap)
                .when()
                .get("/agents")
                .then()
                .statusCode(200)
                .body("count", equalTo(2))
                .body("agents.name", contains(a, b));
        given().queryParam("capability", cap)
                .queryParam("status", "active")
                .when()
                .get("/agents")
                .then()
                .statusCode(200)
                .body("count", equalTo(1))
                .body("agents.name", contains(a));
        given().queryParam("status", "inactive")
                .when()
                .get("/agents")
                .then()
                .statusCode(200)
                .body("agents.name", hasItem(b))
                .body("agents.status", everyItem(equalTo("inactive")))
                .body("agents.name", not(hasItem(a)));
        given().queryParam("status", "sleeping")
                .when()
                .get("/agents")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"));
    }

    @Test
    void returns404ProblemForUnknownAgent() {
        String name = TestAgents.uniqueName(PREFIX);
        given().when()
                .get("/agents/" + name)
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/agent-not-found"))
                .body("status", equalTo(404))
                .body("detail", containsString(name))
                .body("instance", equalTo("/agents/" + name));
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "x"))
                .when()
                .put("/agents/" + name)
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/agent-not-found"));
        given().when().delete("/agents/" + name).then().statusCode(404);
        given().contentType(ContentType.JSON)
                .body(Map.of("status", "active"))
                .post("/agents/" + name + "/status")
                .then()
                .statusCode(404);
        given().when().post("/agents/" + name + "/heartbeat").then().statusCode(404);
        assertNull(TestAgents.row(pool, name));
    }

    @Test
    void rejectsUnknownStatusWith400AndWritesNothing() {
        String name = TestAgents.uniqueName(PREFIX);
        Map<String, Object> body = TestAgents.llmAgent(name, "Agent with a bad status");
        body.put("status", "sleeping");
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/agents")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"))
                .body("errors.field", hasItem("status"));
        assertNull(TestAgents.row(pool, name));

        body.remove("status");
        given().contentType(ContentType.JSON).body(body).post("/agents").then().statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("status", "sleeping"))
                .post("/agents/" + name + "/status")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"))
                .body("errors.field", hasItem("status"));
        assertEquals("active", TestAgents.row(pool, name).getString("status"));
        assertEquals(1L, TestAgents.row(pool, name).getLong("revision"));
    }

    @Test
    void rejectsInvalidDefinitionsWith400() {
        String name = TestAgents.uniqueName(PREFIX);
        Map<String, Object> remote = TestAgents.llmAgent(name, "Remote without endpoint");
        remote.put("kind", "remote");
        given().contentType(ContentType.JSON)
                .body(remote)
                .post("/agents")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("endpoint"));

        Map<String, Object> badName = TestAgents.llmAgent("bad name!", "x");
        given().contentType(ContentType.JSON)
                .body(badName)
                .post("/agents")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("name"));

        Map<String, Object> noDescription = TestAgents.llmAgent(name, "");
        given().contentType(ContentType.JSON)
                .body(noDescription)
                .post("/agents")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("description"));

        Map<String, Object> tooManyExamples = TestAgents.llmAgent(name, "x");
        tooManyExamples.put("examples", java.util.Collections.nCopies(201, "hi"));
        given().contentType(ContentType.JSON)
                .body(tooManyExamples)
                .post("/agents")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("examples"));

        Map<String, Object> longExample = TestAgents.llmAgent(name, "x");
        longExample.put("examples", List.of("ok", "y".repeat(501)));
        given().contentType(ContentType.JSON)
                .body(longExample)
                .post("/agents")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("examples[1]"));

        given().contentType(ContentType.JSON)
                .body("{\"name\":")
                .post("/agents")
                .then()
                .statusCode(400)
                .body("type", equalTo("https://switchboard.dev/problems/malformed-request"));
        assertNull(TestAgents.row(pool, name));
    }

    @Test
    void updatesWithPutAndRejectsAnotherNameInTheBody() {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "Before"))
                .post("/agents")
                .then()
                .statusCode(201);
        Map<String, Object> body = new HashMap<>(TestAgents.llmAgent(name, "After"));
        body.remove("name");
        body.put("model", Map.of("temperature", 0.3, "max_tokens", 256));
        given().contentType(ContentType.JSON)
                .body(body)
                .put("/agents/" + name)
                .then()
                .statusCode(200)
                .body("description", equalTo("After"))
                .body("model.temperature", equalTo(0.3f))
                .body("model.max_tokens", equalTo(256))
                .body("revision", equalTo(2));
        given().contentType(ContentType.JSON)
                .body(body)
                .put("/agents/" + name)
                .then()
                .statusCode(200)
                .body("revision", equalTo(2));
        body.put("name", name + "-other");
        given().contentType(ContentType.JSON)
                .body(body)
                .put("/agents/" + name)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("name"));
        given().when().get("/agents/" + name).then().statusCode(200).body("description", equalTo("After"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.typesFor(name).equals(List.of("agent.registered", "agent.updated")));
    }

    @Test
    void deletePublishesAgentDeleted() {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "Short-lived"))
                .post("/agents")
                .then()
                .statusCode(201);
        given().when().get("/agents/" + name).then().statusCode(200);

        given().when().delete("/agents/" + name).then().statusCode(204);

        assertNull(TestAgents.row(pool, name));
        given().when().get("/agents/" + name).then().statusCode(404);
        given().when().get("/agents").then().body("agents.name", not(hasItem(name)));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.typesFor(name).contains("agent.deleted"));
        assertEquals(
                1,
                events.forAgent(name).stream()
                        .filter(e -> e.path("type").asText().equals("agent.deleted"))
                        .findFirst()
                        .orElseThrow()
                        .path("revision")
                        .asInt());
    }

    @Test
    void statusChangePublishesStatusChangedOnlyOnRealChange() {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "Toggles"))
                .post("/agents")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("status", "draining"))
                .post("/agents/" + name + "/status")
                .then()
                .statusCode(200)
                .body("status", equalTo("draining"))
                .body("revision", equalTo(2));
        given().contentType(ContentType.JSON)
                .body(Map.of("status", "draining"))
                .post("/agents/" + name + "/status")
                .then()
                .statusCode(200)
                .body("status", equalTo("draining"))
                .body("revision", equalTo(2));
        given().when().get("/agents/" + name).then().body("status", equalTo("draining"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.typesFor(name).equals(List.of("agent.registered", "agent.status_changed")));
    }

    @Test
    void exposesReadinessMetricsAndOpenApi() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("UP"))
                .body(
                        "checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status",
                        equalTo("UP"));
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("registry_agents{"))
                .body(containsString("registry_agent_registrations_total"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/agents/{name}/heartbeat"));
    }
}
