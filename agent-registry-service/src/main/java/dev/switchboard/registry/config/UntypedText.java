package dev.switchboard.registry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts untyped values ({@code Object}, e.g. the values of an agent's {@code metadata}) under the common text check,
 * field names inside them included: Jackson's own untyped reader takes nested field names straight from the
 * parser, past the check for map keys, so a U+0000 in one would reach PostgreSQL. Such a value is read as a tree
 * through the mapper's {@code JsonNode} deserializer (which refuses, or for third-party text replaces, what
 * PostgreSQL cannot store) and handed on as plain maps, lists, strings, numbers and booleans.
 */
@Singleton
public class UntypedText implements ObjectMapperCustomizer {

    @Override
    public int priority() {
        // after the common customizer, which registers the JsonNode check this one delegates to
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("switchboard-untyped-text")
                .addDeserializer(Object.class, new CheckedUntypedDeserializer()));
    }

    /** Reads any JSON value through the {@code JsonNode} deserializer, then converts it to plain Java values. */
    static final class CheckedUntypedDeserializer extends StdDeserializer<Object> {

        private static final long serialVersionUID = 1L;

        CheckedUntypedDeserializer() {
            super(Object.class);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object tree = ctxt.findRootValueDeserializer(ctxt.constructType(JsonNode.class)).deserialize(p, ctxt);
            return tree instanceof JsonNode node ? plain(node) : tree;
        }

        static Object plain(JsonNode node) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(field -> map.put(field.getKey(), plain(field.getValue())));
                return map;
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(element -> list.add(plain(element)));
                return list;
            }
            if (node.isTextual()) {
                return node.textValue();
            }
            if (node.isNumber()) {
                return node.numberValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return node.asText();
        }
    }
}
