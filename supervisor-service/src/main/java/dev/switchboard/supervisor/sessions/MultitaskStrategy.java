package dev.switchboard.supervisor.sessions;

/**
 * What a message does when its session is busy (LangGraph Platform's "double-texting" strategies), chosen per
 * request with {@code "multitask_strategy"}.
 */
public enum MultitaskStrategy {
    /** Wait, then run after the current turn, in arrival order (default). */
    ENQUEUE,
    /** Refuse with 409 {@code session-busy} when the session is held or others wait; nothing is written. */
    REJECT;

    /**
     * @param value {@code enqueue}, {@code reject} or {@code null}
     * @return the strategy; {@link #ENQUEUE} when absent
     */
    public static MultitaskStrategy of(String value) {
        return value == null || value.isBlank() ? ENQUEUE : valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
