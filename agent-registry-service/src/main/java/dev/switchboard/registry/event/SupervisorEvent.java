package dev.switchboard.registry.event;

import java.time.Instant;

/**
 * Message published on {@code sb:events:supervisors}.
 *
 * @param type       {@code supervisor.registered|supervisor.deregistered|supervisor.stale}
 * @param supervisor the instance id
 * @param reason     for {@code supervisor.deregistered}: {@code shutdown} (DELETE) or {@code expired} (silent for
 *                   ten heartbeat timeouts); otherwise absent
 * @param timestamp  when the event was published
 */
public record SupervisorEvent(String type, String supervisor, String reason, Instant timestamp) {

    /** An instance registered (new, restarted or back after a 404). */
    public static final String REGISTERED = "supervisor.registered";
    /** An instance deregistered or was removed after a long silence. */
    public static final String DEREGISTERED = "supervisor.deregistered";
    /** An instance stopped heartbeating for longer than the timeout (announced once per silence). */
    public static final String STALE = "supervisor.stale";
}
