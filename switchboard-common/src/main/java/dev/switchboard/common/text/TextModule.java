package dev.switchboard.common.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.List;

/**
 * Jackson module that keeps unstorable text (see {@link StorableText}) out of what a service reads.
 * {@link #rejecting()} (our own APIs) fails the read with {@link UnstorableTextException}, so the client is told
 * which field, and refuses a non-string JSON value where a string is expected (no {@code 42} read as
 * {@code "42"}); {@link #replacing()} (third-party text we must keep) puts U+FFFD in place of each such
 * character and keeps a number or boolean where text is expected as its text. Covers string properties, string map keys, untyped values and {@link JsonNode} trees.
 */
public final class TextModule {

    private TextModule() {
    }

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
        module.addDeserializer(JsonNode.class, new CheckedTreeDeserializer(reject));
        return module;
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
            if (!reject && (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                    || token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE)) {
                // third-party payloads: a number or boolean where text is expected is kept as its text
                return p.getText();
            }
            return (String) ctxt.handleUnexpectedToken(String.class, token, p, "expected a JSON string, not %s",
                    describe(token));
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
