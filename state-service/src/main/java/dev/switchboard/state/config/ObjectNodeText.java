package dev.switchboard.state.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Puts {@link ObjectNode} fields ({@code state}, {@code metadata}, {@code state_patch}) under the same text check
 * as {@link JsonNode} ones: Jackson looks tree deserializers up by exact type, so the common check registered for
 * {@code JsonNode} never sees an {@code ObjectNode} field, and U+0000 in one would reach PostgreSQL.
 */
@Singleton
public class ObjectNodeText implements ObjectMapperCustomizer {

    @Override
    public int priority() {
        // after the common customizer, which registers the JsonNode check this one delegates to
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("switchboard-object-node-text")
                .addDeserializer(ObjectNode.class, new CheckedObjectDeserializer()));
    }

    /** Reads an object through the mapper's {@code JsonNode} deserializer; anything but an object is refused. */
    static final class CheckedObjectDeserializer extends StdDeserializer<ObjectNode> {

        private static final long serialVersionUID = 1L;

        CheckedObjectDeserializer() {
            super(ObjectNode.class);
        }

        @Override
        public ObjectNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.START_OBJECT || token == JsonToken.FIELD_NAME || token == JsonToken.END_OBJECT) {
                Object tree = ctxt.findRootValueDeserializer(ctxt.constructType(JsonNode.class)).deserialize(p, ctxt);
                if (tree instanceof ObjectNode object) {
                    return object;
                }
            }
            return (ObjectNode) ctxt.handleUnexpectedToken(ObjectNode.class, p);
        }
    }
}
