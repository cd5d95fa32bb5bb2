package dev.switchboard.state.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** RFC 7386 JSON merge patch on objects. */
public final class JsonMergePatch {

    private JsonMergePatch() {}

    /**
     * Applies {@code patch} to {@code target} without modifying either.
     *
     * @param target the current object, or {@code null} (treated as {@code {}})
     * @param patch  the patch, or {@code null} (no change)
     * @return the patched copy (never {@code null})
     */
    public static ObjectNode apply(ObjectNode target, ObjectNode patch) {
        ObjectNode result = target == null ? JsonNodeFactory.instance.objectNode() : target.deepCopy();
        if (patch == null) {
            return result;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value == null || value.isNull()) {
                result.remove(field.getKey());
            } else if (value.isObject()) {
                JsonNode current = result.get(field.getKey());
                result.set(
                        field.getKey(),
                        apply(current != null && current.isObject() ? (ObjectNode) current : null, (ObjectNode) value));
            } else {
                result.set(field.getKey(), value.deepCopy());
            }
        }
        return result;
    }
}
