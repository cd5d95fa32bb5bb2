package dev.switchboard.supervisor.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /route} body: {@code {"message"}}.
 *
 * @param message the message to route, 1..8000 characters
 */
public record RouteRequest(
        @NotBlank(message = "must not be blank") @Size(max = 8000, message = "must be at most 8000 characters")
        String message) {}
