package dev.switchboard.state.rest;

import static dev.switchboard.state.rest.StateTestSupport.checkpointRows;
import static dev.switchboard.state.rest.StateTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static final String PROBLEM = "https://switchboard.dev/problems/";

    /** A text field (or list element) and a free-form JSON object field: hostile values go in differently. */
    enum Kind { TEXT, TREE }

    /**
     * One field of one endpoint. {@code $V} in {@code body} is where the hostile value goes; {@code $SESSION},
     * {@code $CHECKPOINT}, {@code $NEW_SESSION} and {@code $NEW_USER} are filled in per test.
     */
    record Field(String method, String path, String field, Kind kind, String body, String plain) {

        /** A field whose ordinary value is {@code "ok"} (text) or a small object (tree). */
        Field(String method, String path, String field, Kind kind, String body) {
            this(method, path, field, kind, body, kind == Kind.TREE ? "{\"k\":\"\uD83D\uDE00 ok\"}" : "\"ok\"");
        }

        @Override
        public String toString() {
            return method + " " + path + " " + field;
        }
    }

    /** A hostile value and what the field must be answered with. */
    enum Hostile {
        NUL("\"a\\u0000b\"", "{\"k\":{\"a\\u0000\":1}}", "invalid-text"),
        LONE_SURROGATE("\"x\\ud800\"", "{\"k\":[\"\\udc00\"]}", "invalid-text"),
        NUMBER("42", "42", "malformed-request"),
        BOOLEAN("true", "true", "malformed-request");

        final String asText;
        final String asTree;
        final String problem;

        Hostile(String asText, String asTree, String problem) {
            this.asText = asText;
            this.asTree = asTree;
            this.problem = problem;
        }
    }

    private static final String TURN = "{\"turn_id\":\"t-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private static final List<Field> FIELDS = List.of(
            new Field("POST", "/sessions", "session_id", Kind.TEXT,
                    "{\"session_id\":$V,\"user_id\":\"$NEW_USER\"}", "\"$NEW_SESSION\""),
            new Field("POST", "/sessions", "user_id", Kind.TEXT,
                    "{\"session_id\":\"$NEW_SESSION\",\"user_id\":$V}", "\"$NEW_USER\""),
            new Field("POST", "/sessions", "state", Kind.TREE,
                    "{\"session_id\":\"$NEW_SESSION\",\"user_id\":\"$NEW_USER\",\"state\":$V}"),
            new Field("POST", "/sessions", "metadata", Kind.TREE,
                    "{\"session_id\":\"$NEW_SESSION\",\"user_id\":\"$NEW_USER\",\"metadata\":$V}"),
            new Field("PATCH", "/sessions/$SESSION", "state", Kind.TREE, "{\"state\":$V}"),
            new Field("PATCH", "/sessions/$SESSION", "metadata", Kind.TREE, "{\"metadata\":$V}"),
            new Field("POST", "/sessions/$SESSION/turns", "turn_id", Kind.TEXT,
                    "{\"turn_id\":$V,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            new Field("POST", "/sessions/$SESSION/turns", "messages.[0].role", Kind.TEXT,
                    "{\"messages\":[{\"role\":$V,\"content\":\"hi\"}]}", "\"user\""),
            new Field("POST", "/sessions/$SESSION/turns", "messages.[1].content", Kind.TEXT,
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":$V}]}"),
            new Field("POST", "/sessions/$SESSION/turns", "messages.[0].agent", Kind.TEXT,
                    "{\"messages\":[{\"role\":\"assistant\",\"content\":\"hi\",\"agent\":$V}]}"),
            new Field("POST", "/sessions/$SESSION/turns", "messages.[0].metadata", Kind.TREE,
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"metadata\":$V}]}"),
            new Field("POST", "/sessions/$SESSION/turns", "agent", Kind.TEXT,
                    "{\"agent\":$V,\"messages\":[{\"role\":\"assistant\",\"content\":\"hi\"}]}"),
            new Field("POST", "/sessions/$SESSION/turns", "routing.method", Kind.TEXT,
                    TURN + ",\"routing\":{\"method\":$V,\"score\":0.5}}"),
            new Field("POST", "/sessions/$SESSION/turns", "outcome", Kind.TEXT, TURN + ",\"outcome\":$V}"),
            new Field("POST", "/sessions/$SESSION/turns", "error", Kind.TEXT,
                    TURN + ",\"outcome\":\"error\",\"error\":$V}"),
            new Field("POST", "/sessions/$SESSION/turns", "state_patch", Kind.TREE, TURN + ",\"state_patch\":$V}"),
            new Field("POST", "/sessions/$SESSION/turns", "metadata", Kind.TREE, TURN + ",\"metadata\":$V}"),
            new Field("POST", "/threads/$SESSION/checkpoints/$CHECKPOINT/fork", "session_id", Kind.TEXT,
                    "{\"session_id\":$V}", "\"$NEW_SESSION\""));

    /** Path and query parameters ({@code method path field}): each hostile id in turn replaces {@code $ID}. */
    private static final List<String> PATHS = List.of(
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

    /** Ids as they arrive on the wire: NUL, a lone surrogate's UTF-8 bytes (CESU-style), too long. */
    private static final List<String> HOSTILE_IDS = List.of("%00", "a%00b", "%C0%80", "%ED%A0%80", "x%ED%B0%80y",
            "x".repeat(129));

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
        checkpoint = given().contentType(ContentType.JSON).body("{\"session_id\":\"" + session + "\"}")
                .post("/sessions").then().statusCode(201).extract().path("last_checkpoint_id");
    }

    @AfterEach
    void cleanUp() {
        StateTestSupport.cleanUp(redis, pool, List.of(session, newSession), List.of(newUser));
    }

    static Stream<Arguments> fieldsAndValues() {
        return FIELDS.stream().flatMap(f -> Stream.of(Hostile.values()).map(h -> Arguments.of(f, h)));
    }

    static Stream<Field> oneFieldPerEndpoint() {
        return FIELDS.stream().filter(distinctBy(f -> f.method() + f.path()));
    }

    static Stream<Arguments> pathsAndIds() {
        return PATHS.stream().flatMap(p -> HOSTILE_IDS.stream().map(id -> Arguments.of(p, id)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fieldsAndValues")
    void refusesHostileFieldValueNamingTheField(Field field, Hostile hostile) {
        boolean tree = field.kind() == Kind.TREE;
        String value = tree ? hostile.asTree : hostile.asText;
        boolean named = hostile.problem.equals("invalid-text") && tree;
        send(field, field.body().replace("$V", value)).statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + hostile.problem))
                .body("errors[0].field", named ? startsWith(field.field() + ".k") : equalTo(field.field()));
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFieldPerEndpoint")
    void refusesNestingDeeperThan64(Field field) {
        String deep = field.kind() == Kind.TREE ? "{\"k\":" + "[".repeat(100) + "]".repeat(100) + "}"
                : "[".repeat(100) + "]".repeat(100);
        send(field, field.body().replace("$V", deep)).statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "malformed-request"));
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFieldPerEndpoint")
    void refusesLoneSurrogateInAFieldNameWhileParsing(Field field) {
        // the JSON parser itself refuses such a name, before any field is read
        String value = field.kind() == Kind.TREE ? "{\"k\\ud800\":1}" : "\"ok\",\"x\\udc00\":1";
        send(field, field.body().replace("$V", value)).statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "malformed-request"));
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFieldPerEndpoint")
    void refusesBodiesOverOneMegabyteWith413(Field field) {
        String big = "x".repeat(1024 * 1024);
        String value = field.kind() == Kind.TREE ? "{\"k\":\"" + big + "\"}" : "\"" + big + "\"";
        send(field, field.body().replace("$V", value)).statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "payload-too-large"))
                .body("status", equalTo(413));
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("pathsAndIds")
    void refusesHostileIdsInPathAndQuery(String endpoint, String id) {
        String[] parts = endpoint.split(" ");
        RequestSpecification request = given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .header("If-Match", "1");
        if (!parts[0].equals("GET") && !parts[0].equals("DELETE")) {
            request = request.body(parts[1].endsWith("/turns")
                    ? "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" : "{}");
        }
        request.request(parts[0], fill(parts[1]).replace("$ID", id)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "validation-failed"))
                .body("errors[0].field", equalTo(parts[2]));
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/sessions/%zz", "/sessions/a%", "/sessions/a%0", "/threads/x/checkpoints?before=%zz" })
    void malformedPercentEscapesAre400(String target) throws Exception {
        // HTTP clients refuse to send these, so the request is written by hand; the HTTP server answers before the
        // application sees the request (a 400 without a problem body)
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + TestCredentials.bearer(TestCredentials.ADMIN_KEY) + "\r\nConnection: close\r\n\r\n")
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
        int status = send(field, field.body().replace("$V", field.plain())).extract().statusCode();
        assertEquals(true, status == 200 || status == 201, field + " answered " + status);
    }

    private ValidatableResponse send(Field field, String body) {
        return given().contentType(ContentType.JSON).header("If-Match", "1").body(fill(body))
                .request(field.method(), fill(field.path())).then();
    }

    private String fill(String template) {
        return template.replace("$SESSION", session).replace("$CHECKPOINT", checkpoint)
                .replace("$NEW_SESSION", newSession).replace("$NEW_USER", newUser);
    }

    private void assertNothingWritten() {
        given().get("/sessions/{id}", session).then().statusCode(200).body("version", equalTo(1))
                .body("messages", hasSize(0));
        assertEquals(1, checkpointRows(pool, session));
        given().get("/sessions/{id}", newSession).then().statusCode(404);
        given().get("/sessions/user/{id}", newUser).then().statusCode(200).body("sessions", hasSize(0));
        long forks = pool.preparedQuery("SELECT count(*) AS n FROM state.checkpoints"
                + " WHERE metadata->'forked_from'->>'checkpoint_id' = $1")
                .execute(Tuple.of(checkpoint)).await().indefinitely().iterator().next().getLong("n");
        assertEquals(0, forks, "sessions forked from " + checkpoint);
    }

    private static <T> java.util.function.Predicate<T> distinctBy(java.util.function.Function<T, Object> key) {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        return t -> seen.add(key.apply(t));
    }
}
