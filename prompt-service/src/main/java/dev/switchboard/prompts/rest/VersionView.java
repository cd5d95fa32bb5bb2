package dev.switchboard.prompts.rest;

import dev.switchboard.prompts.PromptVersion;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One immutable version in {@code GET /admin/prompts/{id}/versions}.
 *
 * @param version     version number
 * @param semver      semantic version string, if any
 * @param content     template text
 * @param variables   placeholders
 * @param modelConfig model settings
 * @param contentHash SHA-256 of content and model config
 * @param author      who made it
 * @param message     why
 * @param labels      labels pointing at it
 * @param createdAt   creation time
 */
public record VersionView(
        int version,
        String semver,
        String content,
        List<String> variables,
        Map<String, Object> modelConfig,
        String contentHash,
        String author,
        String message,
        List<String> labels,
        OffsetDateTime createdAt) {

    static VersionView of(PromptVersion v, Map<String, Integer> labels) {
        List<String> names = labels.entrySet().stream()
                .filter(e -> e.getValue() == v.version())
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        return new VersionView(
                v.version(),
                v.semver(),
                v.content(),
                v.variables(),
                v.modelConfig(),
                v.contentHash(),
                v.author(),
                v.message(),
                names,
                v.createdAt());
    }
}
