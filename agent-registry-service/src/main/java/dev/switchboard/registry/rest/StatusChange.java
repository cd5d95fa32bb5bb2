package dev.switchboard.registry.rest;

import dev.switchboard.registry.AgentStatus;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /agents/{name}/status}: {@code {"status":"inactive"}}.
 *
 * @param status {@code active|inactive|draining|unhealthy}
 */
public record StatusChange(
        @NotNull @Pattern(regexp = AgentStatus.PATTERN, message = AgentStatus.MESSAGE)
        String status) {}
