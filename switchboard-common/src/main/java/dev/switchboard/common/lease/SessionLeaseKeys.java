package dev.switchboard.common.lease;

import java.util.OptionalLong;

/**
 * The Redis keys of a session's lease, shared by the service that grants leases (the supervisor) and the one that
 * fences writes against them (state-service), so both read the same names and value format.
 *
 * <ul>
 * <li>{@link #leaseKey} holds the current lease while it is held: {@code {supervisor_id}|{request_id}|{token}}, with
 * a TTL of one lease period.</li>
 * <li>{@link #fenceKey} holds the token of the newest lease granted for the session (a decimal number), kept for a
 * day after the last grant, so it outlives the lease.</li>
 * </ul>
 *
 * Fencing tokens are non-negative and only grow per session: a lease granted later carries a higher token.
 */
public final class SessionLeaseKeys {

    /** Prefix of every key of the supervisor's session leases. */
    public static final String PREFIX = "sb:supervisor:";

    private SessionLeaseKeys() {}

    /** @return the key of the session's current lease, {@code sb:supervisor:lease:{sessionId}} */
    public static String leaseKey(String sessionId) {
        return PREFIX + "lease:" + sessionId;
    }

    /** @return the key of the token of the session's newest lease, {@code sb:supervisor:fence:{sessionId}} */
    public static String fenceKey(String sessionId) {
        return PREFIX + "fence:" + sessionId;
    }

    /**
     * Reads the fencing token of a lease value ({@code {supervisor_id}|{request_id}|{token}}) or of a fence value
     * ({@code {token}}): the decimal number after the last {@code |}.
     *
     * @param value the value stored under {@link #leaseKey} or {@link #fenceKey}, or {@code null} when absent
     * @return the token, or empty when the value is absent or not in that format
     */
    public static OptionalLong tokenOf(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        String token = value.substring(value.lastIndexOf('|') + 1).trim();
        try {
            long parsed = Long.parseLong(token);
            return parsed >= 0 ? OptionalLong.of(parsed) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
