package dev.switchboard.prompts;

import java.util.List;
import java.util.Map;

/**
 * A full prompt as written in a prompt YAML file or a create request: identity, flags and the
 * content of its first (or next) version.
 *
 * @param id          prompt id ({@code [A-Za-z0-9._:-]{1,128}})
 * @param name        human name
 * @param type        one of {@link PromptType#wireNames()}
 * @param semver      the YAML's {@code version}, e.g. {@code 1.0.0}; may be null
 * @param content     template text
 * @param variables   declared variables; must match the placeholders; {@code null} = take them from content
 * @param modelConfig model settings, may be null (empty)
 * @param active      {@code is_active}
 * @param isDefault   {@code is_default}
 */
public record PromptDefinition(
        String id,
        String name,
        String type,
        String semver,
        String content,
        List<String> variables,
        Map<String, Object> modelConfig,
        boolean active,
        boolean isDefault) {}
