package dev.switchboard.registry.event;

import dev.switchboard.registry.Agent;
import java.time.Instant;

/**
 * Message published on {@code sb:events:agents} after a committed change (contract shape). The publisher adds
 * {@code seq} in front: a number that grows by one per event across every registry replica (Redis {@code INCR}), so
 * a consumer that sees a jump knows it missed events and resyncs; a smaller number than before means Redis lost the
 * counter (flush, restart) and also calls for a resync.
 *
 * @param type      {@code agent.registered|agent.updated|agent.deleted|agent.status_changed|agent.rollout_changed}
 * @param agent     the agent name
 * @param revision  the agent's revision after the change (the last revision for a deletion)
 * @param timestamp when the event was published
 * @param reason    why (rollbacks: e.g. {@code error_rate 0.200 > 0.05}), else {@code null} and omitted
 * @param snapshot  the agent after the change (for {@code agent.deleted}: as it was when deleted), as
 *                  {@code GET /agents/{name}} answers it, so consumers can apply the event without re-reading the list;
 *                  {@code null} and omitted when the event would exceed {@link AgentEventPublisher#MAX_SNAPSHOT_EVENT_BYTES}
 */
public record AgentEvent(String type, String agent, long revision, Instant timestamp, String reason, Agent snapshot) {

    /** An agent was created. */
    public static final String REGISTERED = "agent.registered";
    /** An agent's definition changed. */
    public static final String UPDATED = "agent.updated";
    /** An agent was deleted. */
    public static final String DELETED = "agent.deleted";
    /** Only an agent's status changed (status API, heartbeat monitor, heartbeat recovery). */
    public static final String STATUS_CHANGED = "agent.status_changed";
    /** An agent's versions or their traffic weights changed (version added/removed, rollout, promote, rollback). */
    public static final String ROLLOUT_CHANGED = "agent.rollout_changed";
}
