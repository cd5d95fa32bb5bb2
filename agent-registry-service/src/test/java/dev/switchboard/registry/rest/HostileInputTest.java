package dev.switchboard.registry.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.switchboard.common.test.HostileInput.HOSTILE_IDS;
import static dev.switchboard.common.test.HostileInput.PROBLEM_TYPES;
import static dev.switchboard.common.test.HostileInput.assertProblem;
import static dev.switchboard.common.test.HostileInput.assertRefused;
import static dev.switchboard.common.test.HostileInput.assertTooLarge;
import static dev.switchboard.common.test.HostileInput.deepNesting;
import static dev.switchboard.common.test.HostileInput.loneSurrogateInAFieldName;
import static dev.switchboard.common.test.HostileInput.overOneMegabyte;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.switchboard.common.test.HostileInput;
import dev.switchboard.common.test.HostileInput.Field;
import dev.switchboard.common.test.HostileInput.Hostile;
import dev.switchboard.common.test.HostileInput.Kind;
import dev.switchboard.common.test.HostileInput.Parameter;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.registry.TestAgents;
import io.quarkus.redis.datasource.RedisDataSource;
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
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every text a client can send the registry (body fields of agents, versions, rollouts, supervisors; path and query
 * parameters) is checked at the edge: text PostgreSQL cannot store, wrong JSON types, deep nesting and oversized
 * bodies are 4xx problems naming the field, and nothing is written. Text of a third party's A2A card is kept with
 * U+FFFD instead.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class HostileInputTest {

    private static final String PREFIX = "t-hostile";
    private static WireMockServer cards;

    /** The fields of an agent definition: {field, kind, JSON member with $V, ordinary value}. */
    private static final List<String[]> AGENT_FIELDS = List.of(
            new String[] {"name", "TEXT", "\"name\":$V", "\"$NAME\""},
            new String[] {"description", "TEXT", "\"description\":$V", "\"ok\""},
            new String[] {"capabilities.[1]", "TEXT", "\"capabilities\":[\"ok\",$V]", "\"ok2\""},
            new String[] {"version", "TEXT", "\"version\":$V", "\"2.0.0\""},
            new String[] {"status", "TEXT", "\"status\":$V", "\"active\""},
            new String[] {"kind", "TEXT", "\"kind\":$V", "\"llm\""},
            new String[] {"prompt_id", "TEXT", "\"prompt_id\":$V", "\"ok\""},
            new String[] {"model.name", "TEXT", "\"model\":{\"name\":$V}", "\"gpt-4o-mini\""},
            new String[] {"tools.[0]", "TEXT", "\"tools\":[$V]", "\"ok\""},
            new String[] {"endpoint", "TEXT", "\"endpoint\":$V", "\"http://127.0.0.1:9/chat\""},
            new String[] {"examples.[1]", "TEXT", "\"examples\":[\"hi\",$V]", "\"ok\""},
            new String[] {"metadata", "TREE", "\"metadata\":$V", "{\"k\":{\"a\":[\"\uD83D\uDE00\"]}}"});

    /**
     * Every body field of every endpoint; {@code $AGENT}, {@code $NEW}, {@code $NEW_SUPERVISOR} and
     * {@code $CARD_URL} are filled in per test.
     */
    private static final List<Field> FIELDS = fields();

    private static List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        for (String[] f : AGENT_FIELDS) {
            fields.add(new Field(
                    "POST", "/agents", f[0], Kind.valueOf(f[1]), agent(f[2], "$NEW"), f[3].replace("$NAME", "$NEW")));
            fields.add(new Field(
                    "PUT",
                    "/agents/$AGENT",
                    f[0],
                    Kind.valueOf(f[1]),
                    agent(f[2], "$AGENT"),
                    f[3].replace("$NAME", "$AGENT")));
        }
        fields.addAll(List.of(
                text("POST", "/agents/a2a", "card_url", "{\"card_url\":$V,\"name\":\"$NEW\"}", "\"$CARD_URL\""),
                text("POST", "/agents/a2a", "name", "{\"card_url\":\"$CARD_URL\",\"name\":$V}", "\"$NEW\""),
                text(
                        "POST",
                        "/agents/a2a",
                        "status",
                        "{\"card_url\":\"$CARD_URL\",\"name\":\"$NEW\",\"status\":$V}",
                        "\"active\""),
                text("POST", "/agents/$AGENT/versions", "version", "{\"version\":$V}", "\"2.0.0\""),
                text(
                        "POST",
                        "/agents/$AGENT/versions",
                        "endpoint",
                        "{\"version\":\"2.0.0\",\"endpoint\":$V}",
                        "\"http://127.0.0.1:9/v2\""),
                text(
                        "POST",
                        "/agents/$AGENT/versions",
                        "prompt_id",
                        "{\"version\":\"2.0.0\",\"prompt_id\":$V}",
                        "\"ok\""),
                text(
                        "POST",
                        "/agents/$AGENT/versions",
                        "model.name",
                        "{\"version\":\"2.0.0\",\"model\":{\"name\":$V}}",
                        "\"ok\""),
                text("POST", "/agents/$AGENT/rollout", "version", "{\"version\":$V,\"weight\":10}", "\"2.0.0\""),
                text("POST", "/agents/$AGENT/promote", "version", "{\"version\":$V}", "\"2.0.0\""),
                text("POST", "/agents/$AGENT/rollback", "version", "{\"version\":$V}", "\"2.0.0\""),
                text("POST", "/agents/$AGENT/rollback", "reason", "{\"reason\":$V}", "\"manual\""),
                text("POST", "/agents/$AGENT/status", "status", "{\"status\":$V}", "\"draining\""),
                text(
                        "POST",
                        "/supervisors",
                        "id",
                        "{\"id\":$V,\"host\":\"h\",\"port\":8000,\"capacity\":5}",
                        "\"$NEW_SUPERVISOR\""),
                text(
                        "POST",
                        "/supervisors",
                        "host",
                        "{\"id\":\"$NEW_SUPERVISOR\",\"host\":$V,\"port\":8000,\"capacity\":5}",
                        "\"h\""),
                text(
                        "POST",
                        "/supervisors",
                        "version",
                        "{\"id\":\"$NEW_SUPERVISOR\",\"host\":\"h\",\"port\":8000,\"capacity\":5,\"version\":$V}",
                        "\"1.0\"")));
        return List.copyOf(fields);
    }

    /** An agent definition with {@code member} in place of the member of the same key, if any. */
    private static String agent(String member, String name) {
        String key = member.substring(0, member.indexOf(':'));
        String base = Stream.of("\"name\":\"" + name + "\"", "\"description\":\"d\"", "\"kind\":\"llm\"")
                .filter(m -> !m.startsWith(key + ":"))
                .collect(Collectors.joining(","));
        return "{" + base + "," + member + "}";
    }

    private static Field text(String method, String path, String field, String body, String plain) {
        return new Field(method, path, field, Kind.TEXT, body, plain);
    }

    /** Path and query parameters, in {@link Parameter}'s one-line form. */
    private static final List<String> PARAMETERS = List.of(
            "GET /agents/$ID name",
            "PUT /agents/$ID name {\"description\":\"d\"}",
            "DELETE /agents/$ID name",
            "POST /agents/$ID/status name {\"status\":\"active\"}",
            "POST /agents/$ID/heartbeat name",
            "POST /agents/$ID/versions name {\"version\":\"2.0.0\"}",
            "POST /agents/$ID/rollout name {\"version\":\"2.0.0\",\"weight\":1}",
            "POST /agents/$ID/promote name {\"version\":\"2.0.0\"}",
            "POST /agents/$ID/rollback name {}",
            "DELETE /agents/$AGENT/versions/$ID version",
            "GET /agents?capability=$ID capability",
            "GET /agents?status=$ID status",
            "POST /supervisors/$ID/heartbeat id {\"active_sessions\":1}",
            "DELETE /supervisors/$ID id",
            "GET /supervisors?status=$ID status");

    /** Parameters that are free text rather than ids. */
    private static final Set<String> FREE_TEXT_PARAMETERS = Set.of("version", "capability");

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    private String agent;
    private String newAgent;
    private String newSupervisor;

    @BeforeAll
    static void startCards() {
        cards = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        cards.start();
    }

    @AfterAll
    static void stopCards() {
        cards.stop();
    }

    @BeforeEach
    void registerAgent() {
        agent = TestAgents.uniqueName(PREFIX);
        newAgent = TestAgents.uniqueName(PREFIX + "-new");
        newSupervisor = TestAgents.uniqueName(PREFIX + "-sup");
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(agent, "Hostile input target", "hostile"))
                .post("/agents")
                .then()
                .statusCode(201);
        cards.stubFor(get(urlEqualTo("/card.json"))
                .willReturn(okJson(
                        "{\"name\":\"Card\",\"description\":\"A card\"," + "\"url\":\"http://127.0.0.1:9/a2a\"}")));
    }

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
        pool.preparedQuery("DELETE FROM registry.supervisors WHERE id LIKE $1")
                .execute(Tuple.of(PREFIX + "%"))
                .await()
                .indefinitely();
        cards.resetAll();
    }

    static Stream<Arguments> fieldsAndValues() {
        return HostileInput.fieldsAndValues(FIELDS);
    }

    static Stream<Field> oneFieldPerEndpoint() {
        return HostileInput.oneFieldPerEndpoint(FIELDS);
    }

    static Stream<Field> allFields() {
        return FIELDS.stream();
    }

    static Stream<Arguments> parametersAndIds() {
        return HostileInput.parametersAndIds(PARAMETERS, HOSTILE_IDS);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fieldsAndValues")
    void refusesHostileFieldValueNamingTheField(Field field, Hostile hostile) {
        assertRefused(send(field, hostile.in(field.kind())), field, hostile);
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFieldPerEndpoint")
    void refusesNestingDeeperThan64(Field field) {
        assertProblem(send(field, deepNesting(field.kind())), 400, "malformed-request");
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFieldPerEndpoint")
    void refusesLoneSurrogateInAFieldNameWhileParsing(Field field) {
        // the JSON parser itself refuses such a name, before any field is read
        assertProblem(send(field, loneSurrogateInAFieldName(field.kind(), field.plain())), 400, "malformed-request");
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFieldPerEndpoint")
    void refusesBodiesOverOneMegabyteWith413(Field field) {
        assertTooLarge(send(field, overOneMegabyte(field.kind())));
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("parametersAndIds")
    void refusesHostileValuesInPathAndQuery(Parameter parameter, String id) {
        ValidatableResponse response =
                HostileInput.send(given().contentType(ContentType.JSON), parameter, id, this::fill);
        if (FREE_TEXT_PARAMETERS.contains(parameter.field()) && id.contains("%ED")) {
            // bytes that are no UTF-8 arrive decoded as U+FFFD, ordinary storable text: an ordinary answer
            response.statusCode(anyOf(equalTo(200), equalTo(404)));
            if (parameter.method().equals("DELETE")) {
                response.body("type", equalTo(PROBLEM_TYPES + "agent-version-not-found"))
                        .body("detail", containsString("\uFFFD"));
            }
        } else {
            assertProblem(response, 400, "validation-failed", parameter.field());
        }
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFields")
    void acceptsTheSameBodiesWithOrdinaryText(Field field) {
        // the hostile cases fail for their value alone: with ordinary text the body passes validation
        ValidatableResponse response = send(field, field.plain());
        int status = response.extract().statusCode();
        assertTrue(
                status < 300 || status == 404,
                field + " answered " + status + ": " + response.extract().asString());
    }

    @Test
    void keepsTheTextOfAThirdPartyCardWithReplacementCharacters() {
        String description = "a".repeat(1999) + "\uD83D\uDE00 and more";
        cards.stubFor(get(urlEqualTo("/odd-card.json")).willReturn(okJson("""
                {"name":"Odd\\u0000card","description":"%s","url":"http://127.0.0.1:9/a2a","version":"1.\\ud800",
                 "skills":[{"id":"s\\u0000","name":"Skill","tags":["t\\udc00"],"examples":["hi\\u0000there"],
                            "extra":{"k\\u0000":"v"}}]}
                """.formatted(description))));

        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cards.baseUrl() + "/odd-card.json", "name", newAgent))
                .post("/agents/a2a")
                .then()
                .statusCode(201)
                .body("version", equalTo("1.\uFFFD"))
                .body("capabilities", contains("t\uFFFD", "s\uFFFD"))
                .body("examples", contains("hi\uFFFDthere"))
                // cut at 2000 characters without splitting the emoji's surrogate pair
                .body("description", equalTo("a".repeat(1999)));
        assertEquals("a".repeat(1999), TestAgents.row(pool, newAgent).getString("description"));
    }

    @Test
    void aCardThatIsNotJsonOrNestedTooDeeplyIs422WithoutRetries() {
        cards.stubFor(get(urlEqualTo("/not-json.json")).willReturn(okJson("{\"name\": nope")));
        cards.stubFor(get(urlEqualTo("/deep.json"))
                .willReturn(okJson("{\"name\":\"x\",\"description\":\"y\","
                        + "\"url\":\"http://127.0.0.1:9/a2a\",\"skills\":" + deepNesting(Kind.TEXT) + "}")));
        for (String path : List.of("/not-json.json", "/deep.json")) {
            assertProblem(
                    given().contentType(ContentType.JSON)
                            .body(Map.of("card_url", cards.baseUrl() + path, "name", newAgent))
                            .post("/agents/a2a")
                            .then(),
                    422,
                    "invalid-agent-card");
            cards.verify(1, getRequestedFor(urlEqualTo(path)));
        }
        assertNothingWritten();
    }

    @Test
    void aCardUrlThatIsNoUrlIs400() {
        for (String url : List.of("http://[", "http://?x", "https://%zz")) {
            assertProblem(
                    given().contentType(ContentType.JSON)
                            .body(Map.of("card_url", url, "name", newAgent))
                            .post("/agents/a2a")
                            .then(),
                    400,
                    "validation-failed",
                    "card_url");
        }
        assertNothingWritten();
    }

    private ValidatableResponse send(Field field, String value) {
        return HostileInput.send(given().contentType(ContentType.JSON), field, value, this::fill);
    }

    private String fill(String template) {
        return template.replace("$AGENT", agent)
                .replace("$NEW_SUPERVISOR", newSupervisor)
                .replace("$NEW", newAgent)
                .replace("$CARD_URL", cards.baseUrl() + "/card.json");
    }

    private void assertNothingWritten() {
        assertNull(TestAgents.row(pool, newAgent), "agent " + newAgent);
        assertEquals(1L, TestAgents.row(pool, agent).getLong("revision"), "revision of " + agent);
        long versions = pool.preparedQuery("SELECT count(*) AS n FROM registry.agent_versions WHERE agent_name = $1")
                .execute(Tuple.of(agent))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("n");
        assertEquals(0, versions, "versions of " + agent);
        long supervisors = pool.preparedQuery("SELECT count(*) AS n FROM registry.supervisors WHERE id = $1")
                .execute(Tuple.of(newSupervisor))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("n");
        assertEquals(0, supervisors, "supervisor " + newSupervisor);
    }
}
