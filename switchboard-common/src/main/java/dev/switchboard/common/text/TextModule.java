package dev.switchboard.common.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jackson module that keeps unstorable text (see {@link StorableText}) out of what a service reads.
 * {@link #rejecting()} (our own APIs) fails the read with {@link UnstorableTextException}, so the client is told
 * which field, and refuses a non-string JSON value where a string is expected (no {@code 42} read as
 * {@code "42"}); {@link #replacing()} (third-party text we must keep) puts U+FFFD in place of each such
 * character and keeps a number or boolean where text is expected as its text. Covers string properties, string
 * map keys, untyped values ({@code Object}, field names nested in them included) and {@link JsonNode} trees (also
 * typed as {@link ObjectNode} or {@link ArrayNode}).
 */
public final class TextModule {

    private TextModule() {}

    /** Strings and trees with unstorable text fail the read naming the field. */
    public static SimpleModule rejecting() {
        return module("switchboard-text-rejecting", true);
    }

    /** Unstorable characters in strings and trees become U+FFFD. */
    public static SimpleModule replacing() {
        return module("switchboard-text-replacing", false);
    }

    private static SimpleModule module(String name, boolean reject) {
        SimpleModule module = new SimpleModule(name);
        module.addDeserializer(String.class, new StrictStringDeserializer(reject));
        module.addKeyDeserializer(String.class, new StringKeyDeserializer(reject));
        CheckedTreeDeserializer trees = new CheckedTreeDeserializer(reject);
        module.addDeserializer(JsonNode.class, trees);
        // Jackson looks tree deserializers up by exact type: ObjectNode and ArrayNode fields need their own entry.
        module.addDeserializer(ObjectNode.class, new TypedTreeDeserializer<>(ObjectNode.class, trees));
        module.addDeserializer(ArrayNode.class, new TypedTreeDeserializer<>(ArrayNode.class, trees));
        // Jackson's untyped reader takes nested field names straight from the parser, past the key check.
        module.addDeserializer(Object.class, new UntypedDeserializer(trees));
        return module;
    }

    /** An {@link ObjectNode} or {@link ArrayNode} field: read and checked as a tree; another JSON shape is refused. */
    static final class TypedTreeDeserializer<T extends JsonNode> extends StdDeserializer<T> {

        private static final long serialVersionUID = 1L;

        private final transient CheckedTreeDeserializer trees;

        TypedTreeDeserializer(Class<T> type, CheckedTreeDeserializer trees) {
            super(type);
            this.trees = trees;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            boolean fits = handledType() == ObjectNode.class
                    ? token == JsonToken.START_OBJECT || token == JsonToken.FIELD_NAME || token == JsonToken.END_OBJECT
                    : token == JsonToken.START_ARRAY;
            if (fits) {
                JsonNode tree = trees.deserialize(p, ctxt);
                if (handledType().isInstance(tree)) {
                    return (T) tree;
                }
            }
            return (T) ctxt.handleUnexpectedToken(handledType(), p);
        }
    }

    /** Untyped values ({@code Object}, {@code Map<String, Object>} values): a checked tree, as plain Java values. */
    static final class UntypedDeserializer extends StdDeserializer<Object> {

        private static final long serialVersionUID = 1L;

        private final transient CheckedTreeDeserializer trees;

        UntypedDeserializer(CheckedTreeDeserializer trees) {
            super(Object.class);
            this.trees = trees;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return plain(trees.deserialize(p, ctxt));
        }

        private static Object plain(JsonNode node) {
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
            if (node.isNumber()) {
                return node.numberValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return node.isTextual() ? node.textValue() : node.asText();
        }
    }

    /** Only JSON strings (or null) become Java strings; checked or cleaned. */
    static final class StrictStringDeserializer extends StdScalarDeserializer<String> {

        private static final long serialVersionUID = 1L;

        private final boolean reject;

        StrictStringDeserializer(boolean reject) {
            super(String.class);
            this.reject = reject;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return check(p, p.getText(), reject);
            }
            if (!reject
                    && (token == JsonToken.VALUE_NUMBER_INT
                            || token == JsonToken.VALUE_NUMBER_FLOAT
                            || token == JsonToken.VALUE_TRUE
                            || token == JsonToken.VALUE_FALSE)) {
                // third-party payloads: a number or boolean where text is expected is kept as its text
                return p.getText();
            }
            return (String) ctxt.handleUnexpectedToken(
                    String.class, token, p, "expected a JSON string, not %s", describe(token));
        }

        @Override
        public boolean isCachable() {
            return true;
        }
    }

    /** Map keys: checked or cleaned like values. */
    static final class StringKeyDeserializer extends KeyDeserializer {

        private final boolean reject;

        StringKeyDeserializer(boolean reject) {
            this.reject = reject;
        }

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            return check(ctxt.getParser(), key, reject);
        }
    }

    /** Trees ({@code metadata}, {@code state}...): read as usual, then checked or cleaned as a whole. */
    static final class CheckedTreeDeserializer extends JsonDeserializer<JsonNode> {

        private final boolean reject;

        CheckedTreeDeserializer(boolean reject) {
            this.reject = reject;
        }

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = JsonNodeDeserializer.getDeserializer(JsonNode.class).deserialize(p, ctxt);
            if (!reject) {
                return StorableText.replaceUnstorable(tree);
            }
            StorableText.Unstorable found = StorableText.findUnstorable(tree);
            if (found == null) {
                return tree;
            }
            UnstorableTextException e = new UnstorableTextException(p, found.description());
            List<Object> path = found.path();
            for (int i = path.size() - 1; i >= 0; i--) {
                if (path.get(i) instanceof Integer index) {
                    e.prependPath(tree, index);
                } else {
                    e.prependPath(tree, (String) path.get(i));
                }
            }
            throw e;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
    }

    private static String check(JsonParser p, String text, boolean reject) throws UnstorableTextException {
        int at = StorableText.firstUnstorable(text);
        if (at < 0) {
            return text;
        }
        if (reject) {
            throw new UnstorableTextException(p, StorableText.describe(text, at));
        }
        return StorableText.replaceUnstorable(text);
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
