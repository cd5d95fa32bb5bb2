package dev.switchboard.registry;

import java.util.Arrays;
import java.util.Locale;

/** Lifecycle status of an agent; only {@link #ACTIVE} agents are routed to. Wire form is lower case. */
public enum AgentStatus {
    /** Serving traffic. */
    ACTIVE,
    /** Switched off by an operator. */
    INACTIVE,
    /** Finishing in-flight work, takes no new turns. */
    DRAINING,
    /** A remote agent that missed its heartbeats; a heartbeat makes it active again. */
    UNHEALTHY;

    /** Bean Validation pattern of the wire values. */
    public static final String PATTERN = "active|inactive|draining|unhealthy";

    /** Message used when a status is not one of the wire values. */
    public static final String MESSAGE = "must be one of active, inactive, draining, unhealthy";

    /** @return the wire value, e.g. {@code active} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether {@code value} is a wire value of some status */
    public static boolean isValid(String value) {
        return value != null && Arrays.stream(values()).anyMatch(s -> s.wire().equals(value));
    }
}
