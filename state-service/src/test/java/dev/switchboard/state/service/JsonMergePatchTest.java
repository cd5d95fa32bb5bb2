package dev.switchboard.state.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonMergePatchTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private ObjectNode json(String text) throws Exception {
        return (ObjectNode) mapper.readTree(text);
    }

    @Test
    void appliesRfc7386Rules() throws Exception {
        ObjectNode target = json("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"l\":[1,2]}");
        ObjectNode patch = json("{\"a\":\"z\",\"c\":{\"f\":null},\"l\":[3],\"n\":{\"x\":null,\"y\":1}}");

        ObjectNode result = JsonMergePatch.apply(target, patch);

        assertEquals(json("{\"a\":\"z\",\"c\":{\"d\":\"e\"},\"l\":[3],\"n\":{\"y\":1}}"), result);
        assertEquals(json("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"l\":[1,2]}"), target, "target untouched");
    }

    @Test
    void treatsMissingTargetAsEmptyAndMissingPatchAsNoChange() throws Exception {
        assertEquals(json("{\"k\":1}"), JsonMergePatch.apply(null, json("{\"k\":1,\"gone\":null}")));
        assertEquals(json("{\"k\":1}"), JsonMergePatch.apply(json("{\"k\":1}"), null));
    }
}
