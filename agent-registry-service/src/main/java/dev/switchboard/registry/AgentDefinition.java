package dev.switchboard.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.validation.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The writable part of an agent: the body of {@code POST /agents} and {@code PUT /agents/{name}}, and the
 * content of an {@code agents/*.yaml} seed file (same snake_case keys). Absent lists and maps mean empty;
 * an absent {@code status} keeps the stored one ({@code active} for a new agent).
 *
 * @param name         unique name, {@code [A-Za-z0-9._:-]{1,128}}; required to register, optional on PUT
 * @param description  1..2000 chars
 * @param capabilities at most 50 tags of 1..64 chars
 * @param version      version string, default {@code 1.0.0}
 * @param status       {@code active|inactive|draining|unhealthy} or {@code null}
 * @param kind         {@code llm} (default), {@code remote} or {@code a2a} (both require {@code endpoint})
 * @param promptId     prompt-service id of the system prompt
 * @param model        model settings
 * @param tools        at most 50 tool names
 * @param endpoint     {@code http(s)://} URL of a remote agent
 * @param examples     at most 200 example utterances of 1..500 chars
 * @param metadata     free-form metadata
 * @param isDefault    whether this is the default agent (default {@code false})
 */
public record AgentDefinition(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String name,

        @NotBlank @Size(min = 1, max = 2000) String description,
        @Size(max = 50) List<String> capabilities,
        @Size(min = 1, max = 64) String version,

        @Pattern(regexp = AgentStatus.PATTERN, message = AgentStatus.MESSAGE)
        String status,

        @Pattern(regexp = AgentKind.PATTERN, message = "must be llm, remote or a2a")
        String kind,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String promptId,

        @Valid ModelSettings model,
        @Size(max = 50) List<String> tools,

        @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL")
        String endpoint,

        @Size(max = 200) List<String> examples,
        Map<String, Object> metadata,
        @JsonProperty("is_default") Boolean isDefault) {

    /** @return this definition with defaults filled in (empty lists/maps, version 1.0.0, kind llm) and name {@code name} */
    public AgentDefinition normalized(String name) {
        return new AgentDefinition(
                name,
                description,
                orEmpty(capabilities),
                version == null ? "1.0.0" : version,
                status,
                kind == null ? AgentKind.LLM.wire() : kind,
                promptId,
                model,
                orEmpty(tools),
                endpoint,
                orEmpty(examples),
                metadata == null ? Map.of() : metadata,
                isDefault != null && isDefault);
    }

    /**
     * Rules Bean Validation annotations do not express: list elements and "remote requires endpoint".
     *
     * @return field errors (snake_case fields, indexed for list elements); empty when valid
     */
    public List<Problem.FieldError> ruleViolations() {
        List<Problem.FieldError> errors = new ArrayList<>();
        checkElements("capabilities", capabilities, 64, errors);
        checkElements("tools", tools, 128, errors);
        checkElements("examples", examples, 500, errors);
        if ((AgentKind.REMOTE.wire().equals(kind) || AgentKind.A2A.wire().equals(kind))
                && (endpoint == null || endpoint.isBlank())) {
            errors.add(new Problem.FieldError("endpoint", "is required for remote and a2a agents"));
        }
        return errors;
    }

    private static void checkElements(String field, List<String> values, int max, List<Problem.FieldError> errors) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.isBlank()) {
                errors.add(new Problem.FieldError(field + "[" + i + "]", "must not be blank"));
            } else if (value.length() > max) {
                errors.add(new Problem.FieldError(field + "[" + i + "]", "size must be between 1 and " + max));
            }
        }
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
