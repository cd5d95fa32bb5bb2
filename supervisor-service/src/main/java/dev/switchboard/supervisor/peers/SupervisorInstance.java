package dev.switchboard.supervisor.peers;

import java.time.Instant;

/**
 * A supervisor replica as agent-registry-service lists it ({@code GET /supervisors}); also the body sent to
 * register ({@code POST /supervisors}, where {@code status} and {@code last_heartbeat} are left out).
 *
 * @param id             replica id
 * @param host           host it runs on
 * @param port           its HTTP port
 * @param version        its application version
 * @param capacity       its {@code MAX_CONCURRENT_SESSIONS}
 * @param activeSessions turns in progress at its last heartbeat
 * @param status         {@code up} or {@code stale} (registry's view)
 * @param startedAt      when it started
 * @param lastHeartbeat  its last registration or heartbeat
 */
public record SupervisorInstance(
        String id,
        String host,
        Integer port,
        String version,
        Integer capacity,
        Integer activeSessions,
        String status,
        Instant startedAt,
        Instant lastHeartbeat) {

    /** @return whether the registry lists it as {@code up} */
    public boolean isUp() {
        return "up".equals(status);
    }
}
