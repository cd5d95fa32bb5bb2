package dev.switchboard.registry;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /agents/{name}/rollout}: sets the traffic weight of one canary version (a gradual cutover
 * steps through 10, 25, 50, 75, 90, 100). The stable version keeps {@code 100 - sum(weights)}.
 *
 * @param version the canary version
 * @param weight  percent of new sessions, 0..100
 */
public record RolloutChange(
        @NotBlank @Size(max = 64) String version,
        @NotNull @Min(0) @Max(100) Integer weight) {}
