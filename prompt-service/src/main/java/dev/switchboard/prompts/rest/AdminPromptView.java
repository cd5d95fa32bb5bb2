package dev.switchboard.prompts.rest;

import dev.switchboard.prompts.PromptDetails;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A prompt as the admin API shows it: flags, labels and its newest version.
 *
 * @param id          prompt id
 * @param name        human name
 * @param type        agent, router, rag or utility
 * @param isActive    whether it is meant to be used
 * @param isDefault   whether it is the default of its type
 * @param source      {@code seed} (YAML-managed) or {@code api}
 * @param version     newest version number
 * @param semver      the newest version's semantic version string, if any
 * @param content     the newest version's template text
 * @param variables   its placeholders
 * @param modelConfig its model settings
 * @param labels      label name to version number
 * @param author      who made the newest version
 * @param message     why
 * @param createdAt   prompt creation time
 * @param updatedAt   last change time
 */
public record AdminPromptView(
        String id,
        String name,
        String type,
        boolean isActive,
        boolean isDefault,
        String source,
        int version,
        String semver,
        String content,
        List<String> variables,
        Map<String, Object> modelConfig,
        Map<String, Integer> labels,
        String author,
        String message,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    static AdminPromptView of(PromptDetails d) {
        var p = d.prompt();
        var v = d.latest();
        return new AdminPromptView(
                p.id(),
                p.name(),
                p.type(),
                p.active(),
                p.isDefault(),
                p.source(),
                v.version(),
                v.semver(),
                v.content(),
                v.variables(),
                v.modelConfig(),
                d.labels(),
                v.author(),
                v.message(),
                p.createdAt(),
                p.updatedAt());
    }
}
