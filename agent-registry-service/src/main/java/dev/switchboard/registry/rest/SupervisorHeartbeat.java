package dev.switchboard.registry.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Body of {@code POST /supervisors/{id}/heartbeat}: {@code {"active_sessions","capacity"?}}.
 *
 * @param activeSessions turns in progress on the replica now, 0..1000000
 * @param capacity       its cap if it changed, 0..1000000; absent keeps the registered one
 */
public record SupervisorHeartbeat(
        @NotNull @Min(0) @Max(1_000_000) Integer activeSessions,
        @Min(0) @Max(1_000_000) Integer capacity) {}
