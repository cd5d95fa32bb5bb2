package dev.switchboard.registry;

import dev.switchboard.common.validation.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /agents/{name}/versions}: registers (or replaces) a canary version of an agent.
 *
 * @param version  version string, 1..64 chars, different from the stable one
 * @param weight   initial percent of new sessions, 0..100 (default 0)
 * @param endpoint {@code http(s)://} URL of this version (remote/a2a agents), optional
 * @param promptId system prompt of this version (llm agents), optional
 * @param model    model settings of this version, optional
 */
public record VersionDefinition(
        @NotBlank @Size(max = 64) String version,
        @Min(0) @Max(100) Integer weight,

        @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL")
        String endpoint,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String promptId,

        @Valid ModelSettings model) {}
