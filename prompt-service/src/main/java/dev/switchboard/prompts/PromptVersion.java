package dev.switchboard.prompts;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One immutable version of a prompt (one row of {@code prompts.prompt_versions}).
 *
 * @param promptId    the prompt
 * @param version     1, 2, 3... per prompt
 * @param content     template text with {@code {{variable}}} placeholders
 * @param variables   placeholder names in order of first appearance
 * @param modelConfig free-form model settings (temperature, max_tokens...)
 * @param semver      the YAML's {@code version} string, e.g. {@code 1.0.0}, if any
 * @param contentHash SHA-256 of content and model config: equal hash means no new version
 * @param author      who made it ({@code seed-import} for the importer)
 * @param message     why it was made
 * @param createdAt   creation time
 */
public record PromptVersion(
        String promptId,
        int version,
        String content,
        List<String> variables,
        Map<String, Object> modelConfig,
        String semver,
        String contentHash,
        String author,
        String message,
        OffsetDateTime createdAt) {}
