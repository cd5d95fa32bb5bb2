package dev.switchboard.supervisor.peers;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Follows the {@code seq} of agent events (the registry numbers them cluster-wide, one by one). A jump means pub/sub
 * dropped events ({@code switchboard_registry_event_gaps_total}, the missed count in
 * {@code switchboard_registry_events_missed_total}); a smaller number means the registry's counter was reset (Redis
 * flush or restart). Either way the caller resyncs the whole agent list.
 */
@ApplicationScoped
public class AgentEventSequence {

    private final EventSequence sequence;

    AgentEventSequence(MeterRegistry meters) {
        this.sequence =
                new EventSequence(meters, "switchboard.registry", "agent", "registry", "resyncing the agent cache");
    }

    /**
     * Records one received event.
     *
     * @param seq the event's {@code seq}, or {@code null} for an event without one (older registry)
     * @return {@code true} when events were missed or the sequence was reset since the previous event
     */
    public boolean gap(Long seq) {
        return sequence.gap(seq);
    }

    /** @return the last {@code seq} seen, {@code -1} before the first */
    public long last() {
        return sequence.last();
    }
}
