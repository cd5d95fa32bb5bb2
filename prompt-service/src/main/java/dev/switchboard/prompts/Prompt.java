package dev.switchboard.prompts;

import java.time.OffsetDateTime;

/**
 * A prompt's identity and flags (one row of {@code prompts.prompts}); its text lives in versions.
 *
 * @param id        stable id, e.g. {@code calendar-checker-system}
 * @param name      human name
 * @param type      one of {@link PromptType#wireNames()}
 * @param active    whether the prompt is meant to be used
 * @param isDefault whether it is the default prompt of its type
 * @param source    {@code seed} (managed by the YAML import) or {@code api} (changed through the API)
 * @param createdAt creation time
 * @param updatedAt last change time
 */
public record Prompt(
        String id,
        String name,
        String type,
        boolean active,
        boolean isDefault,
        String source,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /** Source of prompts created or changed through the admin API: the importer leaves them alone. */
    public static final String SOURCE_API = "api";
    /** Source of prompts managed by the YAML import. */
    public static final String SOURCE_SEED = "seed";
}
