package dev.switchboard.prompts;

import static dev.switchboard.common.test.HostileInput.HOSTILE_IDS;
import static dev.switchboard.common.test.HostileInput.assertProblem;
import static dev.switchboard.common.test.HostileInput.assertRefused;
import static dev.switchboard.common.test.HostileInput.assertTooLarge;
import static dev.switchboard.common.test.HostileInput.deepNesting;
import static dev.switchboard.common.test.HostileInput.loneSurrogateInAFieldName;
import static dev.switchboard.common.test.HostileInput.overOneMegabyte;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.HostileInput;
import dev.switchboard.common.test.HostileInput.Field;
import dev.switchboard.common.test.HostileInput.Hostile;
import dev.switchboard.common.test.HostileInput.Kind;
import dev.switchboard.common.test.HostileInput.Parameter;
import dev.switchboard.common.test.InfrastructureTestResource;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every text a client can send the prompt service (prompt bodies, render and test variables, path and query
 * parameters) is checked at the edge: text PostgreSQL cannot store, wrong JSON types, deep nesting and oversized
 * bodies are 4xx problems naming the field, and nothing is written.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RegistryWireMockResource.class, restrictToAnnotatedClass = false)
class HostileInputTest {

    private static final String PREFIX = "t-hostile-";

    /** The fields of a prompt body: {field, kind, JSON member with $V, ordinary value, on create, on update}. */
    private static final List<String[]> PROMPT_FIELDS = List.of(
            new String[] {"id", "TEXT", "\"id\":$V", "\"$NEW\"", "create"},
            new String[] {"name", "TEXT", "\"name\":$V", "\"ok\"", "both"},
            new String[] {"type", "TEXT", "\"type\":$V", "\"utility\"", "both"},
            new String[] {"version", "TEXT", "\"version\":$V", "\"2.0.0\"", "both"},
            new String[] {"content", "TEXT", "\"content\":$V", "\"Hello {{ok}} again\"", "both"},
            new String[] {"variables.[0]", "TEXT", "\"variables\":[$V]", "\"ok\"", "both"},
            new String[] {"model_config", "TREE", "\"model_config\":$V", "{\"k\":{\"a\":[\"\uD83D\uDE00\"]}}", "both"},
            new String[] {"author", "TEXT", "\"author\":$V", "\"ok\"", "both"},
            new String[] {"message", "TEXT", "\"message\":$V", "\"ok\"", "both"},
            new String[] {"labels.[0]", "TEXT", "\"labels\":[$V]", "\"production\"", "update"});

    /** Every body field of every endpoint; {@code $PROMPT} and {@code $NEW} are filled in per test. */
    private static final List<Field> FIELDS = fields();

    private static List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        for (String[] f : PROMPT_FIELDS) {
            if (!f[4].equals("update")) {
                fields.add(new Field(
                        "POST",
                        "/admin/prompts",
                        f[0],
                        Kind.valueOf(f[1]),
                        body(f[2], "\"id\":\"$NEW\"", "\"type\":\"utility\"", "\"content\":\"Hello {{ok}}\""),
                        f[3]));
            }
            if (!f[4].equals("create")) {
                fields.add(new Field("PUT", "/admin/prompts/$PROMPT", f[0], Kind.valueOf(f[1]), body(f[2]), f[3]));
            }
        }
        for (String path : List.of("/admin/prompts/$PROMPT/test", "/prompts/$PROMPT/render")) {
            fields.add(new Field("POST", path, "variables.ok", Kind.TEXT, "{\"variables\":{\"ok\":$V}}", "\"x\""));
            fields.add(new Field(
                    "POST", path, "label", Kind.TEXT, "{\"variables\":{\"ok\":\"x\"},\"label\":$V}", "\"production\""));
        }
        return List.copyOf(fields);
    }

    /** A JSON object of {@code member} and those of {@code base} whose key differs from it. */
    private static String body(String member, String... base) {
        String key = member.substring(0, member.indexOf(':'));
        return "{"
                + Stream.concat(Stream.of(base).filter(m -> !m.startsWith(key + ":")), Stream.of(member))
                        .collect(Collectors.joining(","))
                + "}";
    }

    /** Path and query parameters, in {@link Parameter}'s one-line form. */
    private static final List<String> PARAMETERS = List.of(
            "GET /admin/prompts?type=$ID type",
            "GET /admin/prompts/$ID id",
            "PUT /admin/prompts/$ID id {\"name\":\"n\"}",
            "DELETE /admin/prompts/$ID id",
            "DELETE /admin/prompts/$PROMPT?force=$ID force",
            "POST /admin/prompts/$ID/test id {}",
            "GET /admin/prompts/$ID/versions id",
            "POST /admin/prompts/$ID/labels/production id {\"version\":1}",
            "POST /admin/prompts/$PROMPT/labels/$ID label {\"version\":1}",
            "GET /prompts/$ID id",
            "GET /prompts/$PROMPT?label=$ID label",
            "GET /prompts/$PROMPT?version=$ID version",
            "POST /prompts/$ID/render id {}");

    @Inject
    Pool pool;

    private String prompt;
    private String newPrompt;

    @BeforeEach
    void createPrompt() {
        prompt = TestPrompts.uniqueId(PREFIX);
        newPrompt = TestPrompts.uniqueId(PREFIX + "new");
        given().contentType(ContentType.JSON)
                .body(Map.of("id", prompt, "type", "utility", "content", "Hello {{ok}}"))
                .post("/admin/prompts")
                .then()
                .statusCode(201);
    }

    @AfterEach
    void cleanUp() {
        TestPrompts.deleteByPrefix(pool, PREFIX);
        RegistryWireMockResource.noAgents();
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

    static Stream<String> variableNameBodies() {
        return Stream.of("/admin/prompts/$PROMPT/test", "/prompts/$PROMPT/render");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fieldsAndValues")
    void refusesHostileFieldValueNamingTheField(Field field, Hostile hostile) {
        assertRefused(send(field, hostile.in(field.kind())), field, hostile);
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variableNameBodies")
    void refusesUnstorableVariableNames(String path) {
        ValidatableResponse response = given().contentType(ContentType.JSON)
                .body("{\"variables\":{\"ok\":\"x\",\"a\\u0000\":\"y\"}}")
                .post(fill(path))
                .then();
        // a map key is named by its map: Jackson adds the key to the path only once it is read
        assertProblem(response, 400, "invalid-text").body("errors[0].field", startsWith("variables"));
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
        assertProblem(
                HostileInput.send(given().contentType(ContentType.JSON), parameter, id, this::fill),
                400,
                "validation-failed",
                parameter.field());
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFields")
    void acceptsTheSameBodiesWithOrdinaryText(Field field) {
        // the hostile cases fail for their value alone: with ordinary text the body is accepted
        ValidatableResponse response = send(field, field.plain());
        int status = response.extract().statusCode();
        assertTrue(
                status < 300,
                field + " answered " + status + ": " + response.extract().asString());
    }

    private ValidatableResponse send(Field field, String value) {
        return HostileInput.send(given().contentType(ContentType.JSON), field, value, this::fill);
    }

    private String fill(String template) {
        return template.replace("$PROMPT", prompt).replace("$NEW", newPrompt);
    }

    private void assertNothingWritten() {
        assertFalse(TestPrompts.promptRowExists(pool, newPrompt), "prompt " + newPrompt);
        assertEquals(1, TestPrompts.versionCount(pool, prompt), "versions of " + prompt);
        assertEquals(Map.of("production", 1, "staging", 1), TestPrompts.labels(pool, prompt), "labels of " + prompt);
        boolean deleted = pool.preparedQuery(
                        "SELECT deleted_at IS NOT NULL AS deleted FROM prompts.prompts" + " WHERE id = $1")
                .execute(Tuple.of(prompt))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getBoolean("deleted");
        assertFalse(deleted, prompt + " deleted");
    }
}
