package dev.switchboard.registry;

import dev.switchboard.common.validation.Ids;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /agents/a2a}: register an A2A agent by the URL of its Agent Card.
 *
 * @param cardUrl the card URL, e.g. {@code http://weather:9999/.well-known/agent-card.json}
 * @param name    the registry name; default: the card's name made id-safe (lower case, other characters {@code _})
 * @param status  initial status (default: kept, {@code active} for a new agent)
 */
public record A2aRegistration(
        @NotBlank @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL")
        String cardUrl,

        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String name,

        @Pattern(regexp = AgentStatus.PATTERN, message = AgentStatus.MESSAGE)
        String status) {}
