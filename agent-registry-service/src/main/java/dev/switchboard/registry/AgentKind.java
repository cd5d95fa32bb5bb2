package dev.switchboard.registry;

import java.util.Locale;

/** How an agent runs: in the supervisor with an LLM, as a remote HTTP service (heartbeat-monitored), or as an A2A agent. */
public enum AgentKind {
    /** Runs in-process in the supervisor (prompt + model + tools); not subject to heartbeats. */
    LLM,
    /** Runs behind {@code endpoint}; must heartbeat or it is marked unhealthy. */
    REMOTE,
    /** An A2A agent registered from its Agent Card; called with JSON-RPC {@code message/send} at {@code endpoint}. */
    A2A;

    /** Bean Validation pattern of the wire values. */
    public static final String PATTERN = "llm|remote|a2a";

    /** @return the wire value, e.g. {@code llm} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
