package dev.switchboard.prompts.rest;

import dev.switchboard.prompts.PromptChange;
import dev.switchboard.prompts.PromptType;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code PUT /admin/prompts/{id}}; absent fields keep their value. A different {@code content} or
 * {@code model_config} makes a new immutable version.
 *
 * @param name        new name
 * @param type        new type
 * @param version     semantic version string of the new version
 * @param content     new template text
 * @param variables   declared variables of the (new) content
 * @param modelConfig new model settings
 * @param isActive    new flag
 * @param isDefault   new flag
 * @param author      who makes the change
 * @param message     why
 * @param labels      labels to point at the new version (default production and staging; [] = none)
 */
public record UpdatePromptRequest(
        @Size(min = 1, max = 200) String name,

        @Pattern(regexp = PromptType.PATTERN, message = "must be one of agent, router, rag, utility")
        String type,

        @Size(max = 64) String version,
        @Size(min = 1, max = 100_000) String content,
        @Size(max = 100) List<String> variables,
        @Size(max = 50) Map<String, Object> modelConfig,
        Boolean isActive,
        Boolean isDefault,
        @Size(max = 128) String author,
        @Size(max = 1000) String message,
        @Size(max = 20) List<@Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> labels) {

    PromptChange toChange() {
        return new PromptChange(
                name, type, version, content, variables, modelConfig, isActive, isDefault, author, message, labels);
    }
}
