package dev.switchboard.common.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text that PostgreSQL can store. PostgreSQL refuses U+0000 in {@code text} and in {@code jsonb}, and a lone
 * UTF-16 surrogate has no UTF-8 encoding at all (RFC 3629 section 3), so either would fail a write long after
 * the request was accepted. Text we may refuse (our chat and admin APIs) is checked with
 * {@link #firstUnstorable}; text we must keep (webhook payloads, agent replies, tool results) goes through
 * {@link #replaceUnstorable}, which puts U+FFFD (the Unicode replacement character) in place of each such
 * character, so nothing else of the text is lost.
 */
public final class StorableText {

    /** What replaces an unstorable character: U+FFFD REPLACEMENT CHARACTER. */
    public static final char REPLACEMENT = '\uFFFD';

    private StorableText() {}

    /**
     * @return the index of the first character PostgreSQL cannot store (U+0000 or a lone surrogate), or -1
     */
    public static int firstUnstorable(CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Describes the unstorable character at {@code index}, e.g. {@code U+0000 at index 5}. */
    public static String describe(CharSequence text, int index) {
        return String.format("U+%04X at index %d", (int) text.charAt(index), index);
    }

    /**
     * @return {@code text} itself when it is storable (or {@code null}), else a copy with U+FFFD in place of
     *         each unstorable character
     */
    public static String replaceUnstorable(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnstorable(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Cuts text to a length without splitting a character: a cut between the two halves of a surrogate pair would
     * leave a lone surrogate, which PostgreSQL cannot store.
     *
     * @param text     any text, may be {@code null}
     * @param maxChars most UTF-16 units to keep
     * @return {@code text} itself when short enough, else its first {@code maxChars} units, one less when the cut
     *         would split a surrogate pair
     */
    public static String cut(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = Math.max(0, maxChars);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** @return {@code text} with U+FFFD in place of each unstorable character, {@link #cut} to {@code maxChars} */
    public static String storable(String text, int maxChars) {
        return cut(replaceUnstorable(text), maxChars);
    }

    /**
     * Replaces unstorable characters in every text value and field name of a JSON tree, in place.
     *
     * @return the same node, or a new text node when {@code node} itself is text that had to change
     */
    public static JsonNode replaceUnstorable(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            String clean = replaceUnstorable(text);
            return clean == text ? node : TextNode.valueOf(clean);
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                JsonNode clean = replaceUnstorable(element);
                if (clean != element) {
                    array.set(i, clean);
                }
            }
        } else if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> renamed = new ArrayList<>();
            for (var it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode clean = replaceUnstorable(field.getValue());
                if (clean != field.getValue()) {
                    field.setValue(clean);
                }
                if (firstUnstorable(field.getKey()) >= 0) {
                    renamed.add(field);
                }
            }
            for (Map.Entry<String, JsonNode> field : renamed) {
                object.remove(field.getKey());
                object.set(replaceUnstorable(field.getKey()), field.getValue());
            }
        }
        return node;
    }

    /**
     * Finds the first unstorable text in a JSON tree, values and field names alike.
     *
     * @return the path to it (field names and array indexes, outermost first; the last element is the text
     *         itself when a field name is at fault) and the description, or {@code null} when all is storable
     */
    public static Unstorable findUnstorable(JsonNode node) {
        List<Object> path = new ArrayList<>();
        String found = find(node, path);
        return found == null ? null : new Unstorable(List.copyOf(path), found);
    }

    /**
     * Where a JSON tree holds unstorable text.
     *
     * @param path        field names ({@link String}) and array indexes ({@link Integer}), outermost first
     * @param description which character and where, e.g. {@code U+0000 at index 5}
     */
    public record Unstorable(List<Object> path, String description) {}

    private static String find(JsonNode node, List<Object> path) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            int at = firstUnstorable(node.textValue());
            return at < 0 ? null : describe(node.textValue(), at);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.add(i);
                String found = find(node.get(i), path);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        } else if (node.isObject()) {
            for (var it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                path.add(field.getKey());
                int at = firstUnstorable(field.getKey());
                if (at >= 0) {
                    return "field name with " + describe(field.getKey(), at);
                }
                String found = find(field.getValue(), path);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }
}
