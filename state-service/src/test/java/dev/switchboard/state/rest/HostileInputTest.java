package dev.switchboard.state.rest;

import static dev.switchboard.common.test.HostileInput.assertProblem;
import static dev.switchboard.common.test.HostileInput.assertRefused;
import static dev.switchboard.common.test.HostileInput.assertTooLarge;
import static dev.switchboard.common.test.HostileInput.deepNesting;
import static dev.switchboard.common.test.HostileInput.loneSurrogateInAFieldName;
import static dev.switchboard.common.test.HostileInput.overOneMegabyte;
import static dev.switchboard.state.rest.StateTestSupport.checkpointRows;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.HostileInput;
import dev.switchboard.common.test.HostileInput.Field;
import dev.switchboard.common.test.HostileInput.Hostile;
import dev.switchboard.common.test.HostileInput.Kind;
import dev.switchboard.common.test.HostileInput.Parameter;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every text a client can send the state service (body fields, path and query parameters) is checked at the edge:
 * text PostgreSQL cannot store, wrong JSON types, deep nesting and oversized bodies are 4xx problems naming the
 * field, and nothing is written.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class HostileInputTest {

    private static final String TURN = "{\"turn_id\":\"t-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    /**
     * Every body field of every endpoint; {@code $SESSION}, {@code $CHECKPOINT}, {@code $NEW_SESSION} and
     * {@code $NEW_USER} are filled in per test.
     */
    private static final List<Field> FIELDS = List.of(
            new Field(
                    "POST",
                    "/sessions",
                    "session_id",
                    Kind.TEXT,
                    "{\"session_id\":$V,\"user_id\":\"$NEW_USER\"}",
                    "\"$NEW_SESSION\""),
            new Field(
                    "POST",
                    "/sessions",
                    "user_id",
                    Kind.TEXT,
                    "{\"session_id\":\"$NEW_SESSION\",\"user_id\":$V}",
                    "\"$NEW_USER\""),
            field(
                    "POST",
                    "/sessions",
                    "state",
                    Kind.TREE,
                    "{\"session_id\":\"$NEW_SESSION\",\"user_id\":\"$NEW_USER\",\"state\":$V}"),
            field(
                    "POST",
                    "/sessions",
                    "metadata",
                    Kind.TREE,
                    "{\"session_id\":\"$NEW_SESSION\",\"user_id\":\"$NEW_USER\",\"metadata\":$V}"),
            field("PATCH", "/sessions/$SESSION", "state", Kind.TREE, "{\"state\":$V}"),
            field("PATCH", "/sessions/$SESSION", "metadata", Kind.TREE, "{\"metadata\":$V}"),
            field(
                    "POST",
                    "/sessions/$SESSION/turns",
                    "turn_id",
                    Kind.TEXT,
                    "{\"turn_id\":$V,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            new Field(
                    "POST",
                    "/sessions/$SESSION/turns",
                    "messages.[0].role",
                    Kind.TEXT,
                    "{\"messages\":[{\"role\":$V,\"content\":\"hi\"}]}",
                    "\"user\""),
            field(
                    "POST",
                    "/sessions/$SESSION/turns",
                    "messages.[1].content",
                    Kind.TEXT,
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":$V}]}"),
            field(
                    "POST",
                    "/sessions/$SESSION/turns",
                    "messages.[0].agent",
                    Kind.TEXT,
                    "{\"messages\":[{\"role\":\"assistant\",\"content\":\"hi\",\"agent\":$V}]}"),
            field(
                    "POST",
                    "/sessions/$SESSION/turns",
                    "messages.[0].metadata",
                    Kind.TREE,
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"metadata\":$V}]}"),
            field(
                    "POST",
                    "/sessions/$SESSION/turns",
                    "agent",
                    Kind.TEXT,
                    "{\"agent\":$V,\"messages\":[{\"role\":\"assistant\",\"content\":\"hi\"}]}"),
            field(
                    "POST",
                    "/sessions/$SESSION/turns",
                    "routing.method",
                    Kind.TEXT,
                    TURN + ",\"routing\":{\"method\":$V,\"score\":0.5}}"),
            field("POST", "/sessions/$SESSION/turns", "outcome", Kind.TEXT, TURN + ",\"outcome\":$V}"),
            field(
                    "POST",
                    "/sessions/$SESSION/turns",
                    "error",
                    Kind.TEXT,
                    TURN + ",\"outcome\":\"error\",\"error\":$V}"),
            field("POST", "/sessions/$SESSION/turns", "state_patch", Kind.TREE, TURN + ",\"state_patch\":$V}"),
            field("POST", "/sessions/$SESSION/turns", "metadata", Kind.TREE, TURN + ",\"metadata\":$V}"),
            new Field(
                    "POST",
                    "/threads/$SESSION/checkpoints/$CHECKPOINT/fork",
                    "session_id",
                    Kind.TEXT,
                    "{\"session_id\":$V}",
                    "\"$NEW_SESSION\""));

    /** A field whose ordinary value is {@code "ok"} (text) or a small object (tree). */
    private static Field field(String method, String path, String field, Kind kind, String body) {
        String plain = kind == Kind.TREE ? "{\"k\":\"\uD83D\uDE00 ok\"}" : "\"ok\"";
        return new Field(method, path, field, kind, body, plain);
    }

    /** Path and query parameters, in {@link Parameter}'s one-line form; the test supplies the body. */
    private static final List<String> PARAMETERS = List.of(
            "GET /sessions/$ID id",
            "PATCH /sessions/$ID id",
            "DELETE /sessions/$ID id",
            "GET /sessions/user/$ID user_id",
            "POST /sessions/$ID/turns id",
            "GET /threads/$ID/checkpoints thread_id",
            "GET /threads/$SESSION/checkpoints?before=$ID before",
            "GET /threads/$SESSION/checkpoints?limit=$ID limit",
            "GET /threads/$SESSION/checkpoints/$ID checkpoint_id",
            "POST /threads/$ID/checkpoints/$CHECKPOINT/fork thread_id",
            "POST /threads/$SESSION/checkpoints/$ID/fork checkpoint_id");

    /** The shared hostile ids and an overlong NUL ({@code %C0%80}), which ids here are checked for too. */
    private static final List<String> HOSTILE_IDS = Stream.concat(
                    HostileInput.HOSTILE_IDS.stream(), Stream.of("%C0%80"))
            .toList();

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    private String session;
    private String checkpoint;
    private String newSession;
    private String newUser;

    @BeforeEach
    void createSession() {
        session = uniqueId("hostile");
        newSession = uniqueId("hostile-new");
        newUser = uniqueId("hostile-user");
        checkpoint = given().contentType(ContentType.JSON)
                .body("{\"session_id\":\"" + session + "\"}")
                .post("/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("last_checkpoint_id");
    }

    @AfterEach
    void cleanUp() {
        StateTestSupport.cleanUp(redis, pool, List.of(session, newSession), List.of(newUser));
    }

    static Stream<Arguments> fieldsAndValues() {
        return HostileInput.fieldsAndValues(FIELDS);
    }

    static Stream<Field> oneFieldPerEndpoint() {
        return HostileInput.oneFieldPerEndpoint(FIELDS);
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
        assertProblem(send(field, loneSurrogateInAFieldName(field.kind(), "\"ok\"")), 400, "malformed-request");
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
    void refusesHostileIdsInPathAndQuery(Parameter parameter, String id) {
        RequestSpecification request = given().contentType(ContentType.JSON).header("If-Match", "1");
        if (!parameter.method().equals("GET") && !parameter.method().equals("DELETE")) {
            request = request.body(
                    parameter.target().endsWith("/turns")
                            ? "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                            : "{}");
        }
        assertProblem(
                HostileInput.send(request, parameter, id, this::fill), 400, "validation-failed", parameter.field());
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/sessions/%zz", "/sessions/a%", "/sessions/a%0", "/threads/x/checkpoints?before=%zz"})
    void malformedPercentEscapesAre400(String target) throws Exception {
        // HTTP clients refuse to send these, so the request is written by hand; the HTTP server answers before the
        // application sees the request (a 400 without a problem body)
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream()
                    .write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                                    + TestCredentials.bearer(TestCredentials.ADMIN_KEY)
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
        }
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFieldPerEndpoint")
    void acceptsTheSameBodiesWithPlainText(Field field) {
        // the hostile cases fail for their value alone: the same body with ordinary text is accepted
        int status = send(field, field.plain()).extract().statusCode();
        assertEquals(true, status == 200 || status == 201, field + " answered " + status);
    }

    private ValidatableResponse send(Field field, String value) {
        return HostileInput.send(
                given().contentType(ContentType.JSON).header("If-Match", "1"), field, value, this::fill);
    }

    private String fill(String template) {
        return template.replace("$SESSION", session)
                .replace("$CHECKPOINT", checkpoint)
                .replace("$NEW_SESSION", newSession)
                .replace("$NEW_USER", newUser);
    }

    private void assertNothingWritten() {
        given().get("/sessions/{id}", session)
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("messages", hasSize(0));
        assertEquals(1, checkpointRows(pool, session));
        given().get("/sessions/{id}", newSession).then().statusCode(404);
        given().get("/sessions/user/{id}", newUser).then().statusCode(200).body("sessions", hasSize(0));
        long forks = pool.preparedQuery("SELECT count(*) AS n FROM state.checkpoints"
                        + " WHERE metadata->'forked_from'->>'checkpoint_id' = $1")
                .execute(Tuple.of(checkpoint))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("n");
        assertEquals(0, forks, "sessions forked from " + checkpoint);
    }
}
