package dev.switchboard.registry.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.common.text.StorableText;
import dev.switchboard.registry.AgentDefinition;
import dev.switchboard.registry.AgentKind;
import dev.switchboard.registry.InvalidAgentCardException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an A2A Agent Card (A2A specification 0.3: {@code name}, {@code description}, {@code url}, {@code version},
 * {@code protocolVersion}, {@code skills[{id,name,description,tags,examples}]}) into an agent definition of kind
 * {@code a2a}: the card's url becomes the endpoint, skill tags and ids the capabilities, skill examples (or, without
 * any, the skills' names and descriptions) the router's example utterances; the card's skills are kept in
 * {@code metadata.a2a}.
 */
public final class AgentCards {

    private AgentCards() {}

    /**
     * @param card    the card JSON
     * @param cardUrl where it was fetched from (kept in metadata)
     * @param name    registry name, or {@code null} for the card's name made id-safe
     * @param status  initial status or {@code null}
     * @return the definition to register
     * @throws InvalidAgentCardException when name, description or an http(s) url is missing
     */
    public static AgentDefinition toDefinition(JsonNode card, String cardUrl, String name, String status) {
        String cardName = text(card, "name");
        String description = text(card, "description");
        String url = text(card, "url");
        if (cardName == null || description == null) {
            throw new InvalidAgentCardException("The agent card at " + cardUrl + " has no name or description");
        }
        if (url == null || !url.matches("https?://\\S+")) {
            throw new InvalidAgentCardException(
                    "The agent card at " + cardUrl + " has no http(s) url to send messages to");
        }
        Set<String> capabilities = new LinkedHashSet<>();
        List<String> examples = new ArrayList<>();
        List<Map<String, Object>> skills = new ArrayList<>();
        for (JsonNode skill : card.path("skills")) {
            strings(skill.path("tags")).forEach(t -> capabilities.add(StorableText.cut(t, 64)));
            String id = text(skill, "id");
            if (id != null) {
                capabilities.add(StorableText.cut(id, 64));
            }
            List<String> skillExamples = strings(skill.path("examples"));
            skillExamples.forEach(e -> examples.add(StorableText.cut(e, 500)));
            Map<String, Object> kept = new LinkedHashMap<>();
            kept.put("id", id);
            kept.put("name", text(skill, "name"));
            kept.put("description", text(skill, "description"));
            kept.put("tags", strings(skill.path("tags")));
            kept.put("examples", skillExamples);
            skills.add(kept);
        }
        if (examples.isEmpty()) {
            for (Map<String, Object> skill : skills) {
                for (String key : List.of("name", "description")) {
                    if (skill.get(key) instanceof String s && !s.isBlank()) {
                        examples.add(StorableText.cut(s, 500));
                    }
                }
            }
        }
        Map<String, Object> a2a = new LinkedHashMap<>();
        a2a.put("card_url", cardUrl);
        a2a.put("protocol_version", text(card, "protocolVersion"));
        a2a.put("preferred_transport", text(card, "preferredTransport"));
        a2a.put("skills", skills);
        String version = text(card, "version");
        return new AgentDefinition(
                name != null ? name : safeName(cardName),
                StorableText.cut(description, 2000),
                capabilities.stream().limit(50).toList(),
                version == null ? null : StorableText.cut(version, 64),
                status,
                AgentKind.A2A.wire(),
                null,
                null,
                List.of(),
                url,
                examples.stream().limit(200).toList(),
                Map.of("a2a", a2a),
                false);
    }

    /** @return {@code name} lower-cased with every character outside {@code [A-Za-z0-9._:-]} replaced by {@code _} */
    static String safeName(String name) {
        String safe = name.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._:-]", "_");
        return StorableText.cut(safe.isEmpty() ? "a2a_agent" : safe, 128);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank()
                ? null
                : value.asText().strip();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> {
            if (v.isTextual() && !v.asText().isBlank()) {
                values.add(v.asText().strip());
            }
        });
        return values;
    }
}
