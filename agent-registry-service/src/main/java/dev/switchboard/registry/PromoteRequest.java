package dev.switchboard.registry;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /agents/{name}/promote}: the canary version that becomes the stable one.
 *
 * @param version the canary version to promote
 */
public record PromoteRequest(@NotBlank @Size(max = 64) String version) {}
