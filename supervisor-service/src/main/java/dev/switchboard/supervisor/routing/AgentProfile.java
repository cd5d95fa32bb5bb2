package dev.switchboard.supervisor.routing;

import java.util.List;
import java.util.Objects;

/**
 * What the semantic router knows about one agent: its name, a one-line description and example user
 * utterances (both embedded and used to train the routing head).
 *
 * @param name        agent name, non-blank and unique within one index
 * @param description one-line description; may be {@code null} or blank (then it is not embedded)
 * @param examples    example utterances; {@code null} is treated as empty, blank entries are ignored
 * @param isDefault   whether this is the fallback agent for messages no specialist claims
 */
public record AgentProfile(String name, String description, List<String> examples, boolean isDefault) {

    /**
     * Validates the name and copies the examples.
     *
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public AgentProfile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("agent name must not be blank");
        }
        examples = examples == null
                ? List.of()
                : examples.stream()
                        .filter(Objects::nonNull)
                        .filter(e -> !e.isBlank())
                        .toList();
    }
}
