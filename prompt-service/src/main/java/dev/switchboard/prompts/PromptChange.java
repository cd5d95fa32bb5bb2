package dev.switchboard.prompts;

import java.util.List;
import java.util.Map;

/**
 * A partial update of a prompt ({@code PUT /admin/prompts/{id}}); {@code null} fields keep their value.
 * A different content or model config makes a new immutable version; flags are updated in place.
 *
 * @param name        new name
 * @param type        new type
 * @param semver      semantic version string recorded on the new version
 * @param content     new template text
 * @param variables   declared variables of the new content (must match its placeholders)
 * @param modelConfig new model settings
 * @param active      new {@code is_active}
 * @param isDefault   new {@code is_default}
 * @param author      who makes the change (recorded on the new version)
 * @param message     why (recorded on the new version)
 * @param labels      labels to point at the new version; {@code null} = production and staging
 */
public record PromptChange(
        String name,
        String type,
        String semver,
        String content,
        List<String> variables,
        Map<String, Object> modelConfig,
        Boolean active,
        Boolean isDefault,
        String author,
        String message,
        List<String> labels) {}
