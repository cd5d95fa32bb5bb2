package dev.switchboard.prompts.rest;

import dev.switchboard.prompts.PromptDefinition;
import dev.switchboard.prompts.PromptType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /admin/prompts}: a prompt as in a prompt YAML file, plus version notes.
 *
 * @param id          prompt id
 * @param name        human name (default: the id)
 * @param type        agent, router, rag or utility
 * @param version     semantic version string, e.g. {@code 1.0.0}
 * @param content     template text with {@code {{variable}}} placeholders
 * @param variables   declared variables; must match the placeholders (absent = taken from content)
 * @param modelConfig model settings
 * @param isActive    default true
 * @param isDefault   default false
 * @param author      who creates it
 * @param message     why
 */
public record CreatePromptRequest(
        @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String id,

        @Size(max = 200) String name,

        @NotNull @Pattern(regexp = PromptType.PATTERN, message = "must be one of agent, router, rag, utility")
        String type,

        @Size(max = 64) String version,
        @NotBlank @Size(max = 100_000) String content,
        @Size(max = 100) List<String> variables,
        @Size(max = 50) Map<String, Object> modelConfig,
        Boolean isActive,
        Boolean isDefault,
        @Size(max = 128) String author,
        @Size(max = 1000) String message) {

    PromptDefinition toDefinition() {
        return new PromptDefinition(
                id,
                name,
                type,
                version,
                content,
                variables,
                modelConfig,
                isActive == null || isActive,
                isDefault != null && isDefault);
    }
}
