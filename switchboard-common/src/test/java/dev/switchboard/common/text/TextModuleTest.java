package dev.switchboard.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.common.json.JacksonCustomizer;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemExceptionMappers;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextModuleTest {

    record Body(
            String message,
            List<String> tags,
            Map<String, String> labels,
            JsonNode metadata,
            Object state,
            ObjectNode patch,
            ArrayNode items,
            Map<String, Object> extra) {}

    private static final ObjectMapper MAPPER = mapper();
    private static final ObjectMapper THIRD_PARTY = JacksonCustomizer.forThirdPartyText(MAPPER);
    private final ProblemExceptionMappers mappers = new ProblemExceptionMappers();

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        new JacksonCustomizer().customize(mapper);
        return mapper;
    }

    @Test
    void findsNulAndLoneSurrogatesButKeepsPairs() {
        assertEquals(-1, StorableText.firstUnstorable("emoji \uD83D\uDE00 ok"));
        assertEquals(2, StorableText.firstUnstorable("ab\u0000"));
        assertEquals(1, StorableText.firstUnstorable("a\uD800b"));
        assertEquals(1, StorableText.firstUnstorable("a\uDC00"));
        assertEquals(0, StorableText.firstUnstorable("\uD83D"));
        assertEquals("a\uFFFDb\uD83D\uDE00\uFFFD", StorableText.replaceUnstorable("a\u0000b\uD83D\uDE00\uDC00"));
        assertEquals("ab", StorableText.cut("ab\uD83D\uDE00", 3));
        assertEquals("ab\uD83D\uDE00", StorableText.cut("ab\uD83D\uDE00c", 4));
        assertEquals("a\uFFFD", StorableText.storable("a\u0000bc", 2));
        String clean = "nothing to do";
        assertSame(clean, StorableText.replaceUnstorable(clean));
    }

    @Test
    void nulInAStringFieldIs400InvalidTextNamingTheField() {
        Problem problem = problemFor("{\"message\":\"hi\\u0000there\"}");
        assertEquals(Problem.TYPE_BASE + "invalid-text", problem.type());
        assertEquals(400, problem.status());
        assertEquals("message", problem.errors().get(0).field());
    }

    @Test
    void loneSurrogateInAListOrMapOrTreeNamesItsPath() {
        assertEquals(
                "tags.[1]",
                problemFor("{\"tags\":[\"ok\",\"\\ud800\"]}").errors().get(0).field());
        assertEquals(
                "labels.k",
                problemFor("{\"labels\":{\"k\":\"\\udc00x\"}}").errors().get(0).field());
        assertEquals(
                "metadata.a.[0].b",
                problemFor("{\"metadata\":{\"a\":[{\"b\":\"\\u0000\"}]}}")
                        .errors()
                        .get(0)
                        .field());
        assertEquals(
                "metadata.bad\u0000key",
                problemFor("{\"metadata\":{\"bad\\u0000key\":1}}")
                        .errors()
                        .get(0)
                        .field()
                        .replace("\uFFFD", "\u0000"));
        assertEquals(
                Problem.TYPE_BASE + "invalid-text",
                problemFor("{\"state\":{\"x\":\"\\u0000\"}}").type());
        assertEquals(
                Problem.TYPE_BASE + "invalid-text",
                problemFor("{\"labels\":{\"\\u0000\":\"v\"}}").type());
        assertEquals(
                "patch.s",
                problemFor("{\"patch\":{\"s\":\"\\u0000\"}}").errors().get(0).field());
        assertEquals(
                "items.[0]",
                problemFor("{\"items\":[\"\\ud800\"]}").errors().get(0).field());
        assertEquals(
                Problem.TYPE_BASE + "invalid-text",
                problemFor("{\"extra\":{\"a\":{\"b\\u0000\":1}}}").type());
        assertEquals(
                Problem.TYPE_BASE + "malformed-request",
                problemFor("{\"patch\":[1]}").type());
        assertEquals(
                Problem.TYPE_BASE + "malformed-request",
                problemFor("{\"items\":{}}").type());
    }

    @Test
    void untypedValuesStayPlainJavaValues() {
        Body body = assertRead("{\"extra\":{\"n\":1,\"f\":1.5,\"b\":true,\"l\":[\"x\",null],\"o\":{\"k\":\"v\"}}}");
        assertEquals(1, body.extra().get("n"));
        assertEquals(1.5, body.extra().get("f"));
        assertEquals(true, body.extra().get("b"));
        assertEquals(java.util.Arrays.asList("x", null), body.extra().get("l"));
        assertEquals(Map.of("k", "v"), body.extra().get("o"));
    }

    @Test
    void wrongJsonTypesAreRefusedNotCoerced() {
        for (String body : List.of(
                "{\"message\":42}",
                "{\"message\":true}",
                "{\"message\":1.5}",
                "{\"message\":{}}",
                "{\"message\":[\"x\"]}",
                "{\"tags\":[1]}")) {
            Problem problem = problemFor(body);
            assertEquals(Problem.TYPE_BASE + "malformed-request", problem.type(), body);
            assertEquals(
                    body.contains("tags") ? "tags.[0]" : "message",
                    problem.errors().get(0).field(),
                    body);
        }
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        String deep = "{\"metadata\":" + "[".repeat(100) + "]".repeat(100) + "}";
        Problem problem = problemFor(deep);
        assertEquals(Problem.TYPE_BASE + "malformed-request", problem.type());
        assertEquals(true, problem.detail().contains("nested deeper than 64"), problem.detail());
        String fine = "{\"metadata\":" + "[".repeat(60) + "]".repeat(60) + "}";
        assertEquals(null, assertRead(fine).message());
    }

    @Test
    void thirdPartyTextIsKeptWithReplacementCharacters() throws Exception {
        Body body = THIRD_PARTY.readValue(
                "{\"message\":\"a\\u0000b\",\"tags\":[\"\\ud800\"],\"labels\":{\"k\\u0000\":"
                        + "\"v\"},\"metadata\":{\"x\\u0000\":[\"\\udc00\"]},\"state\":{\"s\":\"\\u0000\"}}",
                Body.class);
        assertEquals("a\uFFFDb", body.message());
        assertEquals(List.of("\uFFFD"), body.tags());
        assertEquals(Map.of("k\uFFFD", "v"), body.labels());
        assertEquals("\uFFFD", body.metadata().get("x\uFFFD").get(0).textValue());
        assertEquals(Map.of("s", "\uFFFD"), body.state());
        assertEquals("42", THIRD_PARTY.readValue("{\"message\":42}", Body.class).message());
        JsonNode tree = THIRD_PARTY.readTree("{\"t\":\"\\u0000\"}");
        assertEquals("\uFFFD", tree.get("t").textValue());
    }

    private Body assertRead(String json) {
        try {
            return MAPPER.readValue(json, Body.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private Problem problemFor(String json) {
        JsonProcessingException e =
                assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(json, Body.class));
        Response response = mappers.mapJson(e, null);
        assertEquals(400, response.getStatus());
        return (Problem) response.getEntity();
    }
}
