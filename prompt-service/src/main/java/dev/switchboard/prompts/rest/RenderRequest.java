package dev.switchboard.prompts.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Body of {@code POST /prompts/{id}/render} and {@code POST /admin/prompts/{id}/test}.
 *
 * @param variables values by variable name (absent = none)
 * @param label     label to render (default production); not together with {@code version}
 * @param version   version number to render instead of a label
 */
public record RenderRequest(
        @Size(max = 500) Map<String, String> variables,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String label,

        @Positive Integer version) {}
