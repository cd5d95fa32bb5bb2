package dev.switchboard.supervisor.sessions;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A held session lease: Redis key {@code sb:supervisor:lease:{session_id}} with value
 * {@code {supervisor_id}|{request_id}|{token}}. The fencing token goes with every state write of the turn.
 */
public final class SessionLease {

    private final String sessionId;
    private final String requestId;
    private final long token;
    private final long previousToken;
    private final String value;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean lost;
    volatile long renewTimer = -1;

    SessionLease(String sessionId, String requestId, long token, long previousToken, String value) {
        this.sessionId = sessionId;
        this.requestId = requestId;
        this.token = token;
        this.previousToken = previousToken;
        this.value = value;
    }

    /** @return the session */
    public String sessionId() {
        return sessionId;
    }

    /** @return the request that holds it */
    public String requestId() {
        return requestId;
    }

    /** @return the fencing token: higher than every earlier token of the session (Redis ms clock or last + 1) */
    public long token() {
        return token;
    }

    /**
     * @return the token of the lease taken just before this one (0 when unknown: first lease, or the fence key
     *         expired). When it equals the token of this replica's own last lease of the session, nobody else held
     *         the lease in between.
     */
    public long previousToken() {
        return previousToken;
    }

    /** @return the stored value, {@code supervisor|request|token} */
    public String value() {
        return value;
    }

    /** @return whether a renewal found the lease gone or taken (the final write will be refused by fencing) */
    public boolean isLost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }

    /** @return {@code true} the first time only */
    boolean markReleased() {
        return released.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "SessionLease[" + sessionId + " token=" + token + "]";
    }
}
