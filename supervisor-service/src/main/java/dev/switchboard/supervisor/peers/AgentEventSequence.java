package dev.switchboard.supervisor.peers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Follows the {@code seq} of agent events (the registry numbers them cluster-wide, one by one). A jump means pub/sub
 * dropped events ({@code switchboard_registry_event_gaps_total}, the missed count in
 * {@code switchboard_registry_events_missed_total}); a smaller number means the registry's counter was reset (Redis
 * flush or restart). Either way the caller resyncs the whole agent list.
 */
@ApplicationScoped
public class AgentEventSequence {

    private static final Logger LOG = Logger.getLogger(AgentEventSequence.class);

    private final Counter gaps;
    private final Counter missed;
    private final Counter resets;
    private long last = -1;

    AgentEventSequence(MeterRegistry meters) {
        this.gaps = Counter.builder("switchboard.registry.event.gaps")
                .description("Jumps in the agent event sequence (events lost by pub/sub)").register(meters);
        this.missed = Counter.builder("switchboard.registry.events.missed")
                .description("Agent events known to be lost (sum of the jumps)").register(meters);
        this.resets = Counter.builder("switchboard.registry.event.sequence.resets")
                .description("Agent event sequence went backwards (registry counter reset)").register(meters);
    }

    /**
     * Records one received event.
     *
     * @param seq the event's {@code seq}, or {@code null} for an event without one (older registry)
     * @return {@code true} when events were missed or the sequence was reset since the previous event
     */
    public synchronized boolean gap(Long seq) {
        if (seq == null) {
            return false;
        }
        long previous = last;
        last = seq;
        if (previous < 0 || seq == previous + 1) {
            return false;
        }
        if (seq > previous + 1) {
            gaps.increment();
            missed.increment(seq - previous - 1);
            LOG.warnf("Missed %d agent event(s) (seq %d after %d); resyncing the agent cache", seq - previous - 1,
                    seq, previous);
        } else {
            resets.increment();
            LOG.warnf("Agent event sequence went back (seq %d after %d: registry counter reset); resyncing", seq,
                    previous);
        }
        return true;
    }

    /** @return the last {@code seq} seen, {@code -1} before the first */
    public synchronized long last() {
        return last;
    }
}
