package dev.switchboard.registry;

import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /agents/{name}/rollback} (optional): which canary to roll back and why.
 *
 * @param version the canary version; {@code null} rolls back every canary of the agent
 * @param reason  free text for the event and the log (e.g. {@code error_rate 0.20 > 0.05}), optional
 */
public record RollbackRequest(
        @Size(max = 64) String version, @Size(max = 500) String reason) {}
