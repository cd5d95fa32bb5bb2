package dev.switchboard.registry;

import java.time.Instant;

/**
 * A registered supervisor-service replica as the registry lists it.
 *
 * @param id             replica id ({@code SUPERVISOR_ID} or host name and port)
 * @param host           host name or address the replica runs on
 * @param port           its HTTP port
 * @param version        its application version
 * @param capacity       its {@code MAX_CONCURRENT_SESSIONS}
 * @param activeSessions turns in progress at its last heartbeat
 * @param status         {@code up}, or {@code stale} when silent for longer than {@code SUPERVISOR_HEARTBEAT_TIMEOUT}
 * @param startedAt      when the replica started (as it reported it, else when it first registered)
 * @param lastHeartbeat  its last registration or heartbeat
 */
public record SupervisorInstance(
        String id,
        String host,
        int port,
        String version,
        int capacity,
        int activeSessions,
        String status,
        Instant startedAt,
        Instant lastHeartbeat) {

    /** Status of an instance that heartbeats in time. */
    public static final String UP = "up";
    /** Status of an instance silent for longer than the heartbeat timeout. */
    public static final String STALE = "stale";
}
