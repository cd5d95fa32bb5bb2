package dev.switchboard.registry.event;

import java.time.Instant;

/**
 * Message published on {@code sb:events:agents} after a committed change (contract shape).
 *
 * @param type      {@code agent.registered|agent.updated|agent.deleted|agent.status_changed}
 * @param agent     the agent name
 * @param revision  the agent's revision after the change (the last revision for a deletion)
 * @param timestamp when the event was published
 */
public record AgentEvent(String type, String agent, long revision, Instant timestamp) {

    /** An agent was created. */
    public static final String REGISTERED = "agent.registered";
    /** An agent's definition changed. */
    public static final String UPDATED = "agent.updated";
    /** An agent was deleted. */
    public static final String DELETED = "agent.deleted";
    /** Only an agent's status changed (status API, heartbeat monitor, heartbeat recovery). */
    public static final String STATUS_CHANGED = "agent.status_changed";
}
