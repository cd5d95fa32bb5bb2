package dev.switchboard.common.test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hamcrest.Matcher;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What every service's {@code HostileInputTest} sends and expects at the edge: hostile values for body fields, path
 * and query parameters, deep nesting and over-1 MiB bodies, and the problem (RFC 9457) each must be answered with.
 * A service's test keeps only its own table of fields and parameters and its own check that nothing was written.
 */
public final class HostileInput {

    /** Prefix of every problem {@code type}. */
    public static final String PROBLEM_TYPES = "https://switchboard.dev/problems/";

    /** Values as they arrive on the wire: NUL, a lone surrogate's UTF-8 bytes (CESU-style), too long. */
    public static final List<String> HOSTILE_IDS = List.of("%00", "a%00b", "%ED%A0%80", "x%ED%B0%80y", "x".repeat(129));

    /** The JSON nesting depth past the services' limit of 64. */
    private static final int DEEP = 100;

    /** The services' body limit (MAX_BODY_SIZE, 1 MiB): a string this long puts any body over it. */
    private static final int OVER_ONE_MEGABYTE = 1024 * 1024;

    private HostileInput() {}

    /** A text field (or list element) and a free-form JSON object field: hostile values go in differently. */
    public enum Kind {
        TEXT,
        TREE
    }

    /**
     * One field of one endpoint. {@code $V} in {@code body} is where the hostile value goes, {@code plain} an
     * ordinary value; other {@code $NAME}s in {@code path}, {@code body} and {@code plain} are the test's own, filled
     * in per test.
     */
    public record Field(String method, String path, String field, Kind kind, String body, String plain) {

        /** The body with {@code value} (JSON) in place of {@code $V}. */
        public String with(String value) {
            return body.replace("$V", value);
        }

        @Override
        public String toString() {
            return method + " " + path + " " + field;
        }
    }

    /** A hostile value for a field and the problem type the field must be answered with. */
    public enum Hostile {
        NUL("\"a\\u0000b\"", "{\"k\":{\"a\\u0000\":1}}", "invalid-text"),
        LONE_SURROGATE("\"x\\ud800\"", "{\"k\":[\"\\udc00\"]}", "invalid-text"),
        NUMBER("42", "42", "malformed-request"),
        BOOLEAN("true", "true", "malformed-request");

        private final String asText;
        private final String asTree;
        private final String problem;

        Hostile(String asText, String asTree, String problem) {
            this.asText = asText;
            this.asTree = asTree;
            this.problem = problem;
        }

        /** The value as JSON for a field of {@code kind}: in a tree, the text sits below key {@code k}. */
        public String in(Kind kind) {
            return kind == Kind.TREE ? asTree : asText;
        }

        /** The problem type (without {@link HostileInput#PROBLEM_TYPES}) the field must be answered with. */
        public String problem() {
            return problem;
        }
    }

    /**
     * A path or query parameter case, written {@code "METHOD target field [body]"}: each hostile id in turn replaces
     * {@code $ID} in the target; the body, if any, is valid, so the parameter alone is at fault.
     */
    public record Parameter(String method, String target, String field, String body) {

        /** Reads a case from its one-line form; {@code body} is null where the line has none. */
        public static Parameter parse(String line) {
            String[] parts = line.split(" ", 4);
            return new Parameter(parts[0], parts[1], parts[2], parts.length == 4 ? parts[3] : null);
        }

        @Override
        public String toString() {
            return method + " " + target + " " + field + (body == null ? "" : " " + body);
        }
    }

    /** Every field with every {@link Hostile} value: arguments {@code (Field, Hostile)}. */
    public static Stream<Arguments> fieldsAndValues(List<Field> fields) {
        return fields.stream().flatMap(f -> Stream.of(Hostile.values()).map(h -> Arguments.of(f, h)));
    }

    /** The first field of each endpoint (method and path): for cases the parser refuses before any field is read. */
    public static Stream<Field> oneFieldPerEndpoint(List<Field> fields) {
        Set<String> seen = new HashSet<>();
        return fields.stream().filter(f -> seen.add(f.method() + f.path()));
    }

    /** Every parameter case (one-line form) with every id: arguments {@code (Parameter, String)}. */
    public static Stream<Arguments> parametersAndIds(List<String> parameters, List<String> ids) {
        return parameters.stream()
                .map(Parameter::parse)
                .flatMap(p -> ids.stream().map(id -> Arguments.of(p, id)));
    }

    /** JSON nested deeper than 64 for a field of {@code kind}: arrays, below key {@code k} in a tree. */
    public static String deepNesting(Kind kind) {
        String deep = "[".repeat(DEEP) + "]".repeat(DEEP);
        return kind == Kind.TREE ? "{\"k\":" + deep + "}" : deep;
    }

    /** A JSON string of 1 MiB for a field of {@code kind}, so the whole body is over the limit. */
    public static String overOneMegabyte(Kind kind) {
        String big = "\"" + "x".repeat(OVER_ONE_MEGABYTE) + "\"";
        return kind == Kind.TREE ? "{\"k\":" + big + "}" : big;
    }

    /**
     * A value after which the body holds a field name with a lone surrogate (the JSON parser refuses it before any
     * field is read): {@code plain} and a sibling member for a text field, an object with such a key for a tree.
     */
    public static String loneSurrogateInAFieldName(Kind kind, String plain) {
        return kind == Kind.TREE ? "{\"k\\ud800\":1}" : plain + ",\"x\\udc00\":1";
    }

    /** Sends {@code field}'s body with {@code value} in it; {@code fill} fills the test's own names afterwards. */
    public static ValidatableResponse send(
            RequestSpecification request, Field field, String value, UnaryOperator<String> fill) {
        return request.body(fill.apply(field.with(value)))
                .request(field.method(), fill.apply(field.path()))
                .then();
    }

    /** Sends {@code parameter}'s request with {@code id}, sent as is (not URL-encoded), in place of {@code $ID}. */
    public static ValidatableResponse send(
            RequestSpecification request, Parameter parameter, String id, UnaryOperator<String> fill) {
        if (parameter.body() != null) {
            request = request.body(parameter.body());
        }
        return request.urlEncodingEnabled(false)
                .request(parameter.method(), fill.apply(parameter.target()).replace("$ID", id))
                .then();
    }

    /** Asserts a problem+json answer with {@code status} and problem type {@code type} (without the prefix). */
    public static ValidatableResponse assertProblem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_TYPES + type));
    }

    /** Asserts {@link #assertProblem} and that {@code errors[0].field} is {@code field}. */
    public static ValidatableResponse assertProblem(
            ValidatableResponse response, int status, String type, String field) {
        return assertProblem(response, status, type).body("errors[0].field", equalTo(field));
    }

    /**
     * Asserts the 400 answer to {@code hostile} in {@code field}: its problem type, naming the field, or the path
     * below it ({@code field.k…}) for unstorable text inside a tree.
     */
    public static ValidatableResponse assertRefused(ValidatableResponse response, Field field, Hostile hostile) {
        boolean nested = hostile.problem().equals("invalid-text") && field.kind() == Kind.TREE;
        Matcher<String> named = nested ? startsWith(field.field() + ".k") : equalTo(field.field());
        return assertProblem(response, 400, hostile.problem()).body("errors[0].field", named);
    }

    /** Asserts a 413 {@code payload-too-large} problem whose {@code status} member is 413 too. */
    public static ValidatableResponse assertTooLarge(ValidatableResponse response) {
        return assertProblem(response, 413, "payload-too-large").body("status", equalTo(413));
    }
}
