package dev.switchboard.registry;

import java.util.Locale;

/** How an agent runs: in the supervisor with an LLM, or as a remote HTTP service (heartbeat-monitored). */
public enum AgentKind {
    /** Runs in-process in the supervisor (prompt + model + tools); not subject to heartbeats. */
    LLM,
    /** Runs behind {@code endpoint}; must heartbeat or it is marked unhealthy. */
    REMOTE;

    /** Bean Validation pattern of the wire values. */
    public static final String PATTERN = "llm|remote";

    /** @return the wire value, e.g. {@code llm} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
