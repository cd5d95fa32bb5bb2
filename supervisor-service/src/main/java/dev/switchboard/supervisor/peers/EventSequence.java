package dev.switchboard.supervisor.peers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * Follows the {@code seq} of one channel's events (the publisher numbers them cluster-wide, one by one). A jump means
 * pub/sub dropped events ({@code <prefix>_event_gaps_total}, the missed count in {@code <prefix>_events_missed_total});
 * a smaller number means the publisher's counter was reset (Redis flush or restart:
 * {@code <prefix>_event_sequence_resets_total}). Either way the caller resyncs what the events keep fresh.
 */
final class EventSequence {

    private static final Logger LOG = Logger.getLogger(EventSequence.class);

    private final String events;
    private final String source;
    private final String remedy;
    private final Counter gaps;
    private final Counter missed;
    private final Counter resets;
    private long last = -1;

    /**
     * @param meters where the counters go
     * @param prefix the counters' name prefix, e.g. {@code switchboard.registry}
     * @param events what the events are about, for descriptions and logs, e.g. {@code agent}
     * @param source the publisher, for the reset log, e.g. {@code registry}
     * @param remedy what the caller does about a gap, for the log, e.g. {@code resyncing the agent cache}
     */
    EventSequence(MeterRegistry meters, String prefix, String events, String source, String remedy) {
        this.events = events;
        this.source = source;
        this.remedy = remedy;
        this.gaps = Counter.builder(prefix + ".event.gaps")
                .description("Jumps in the " + events + " event sequence (events lost by pub/sub)")
                .register(meters);
        this.missed = Counter.builder(prefix + ".events.missed")
                .description(capitalised(events) + " events known to be lost (sum of the jumps)")
                .register(meters);
        this.resets = Counter.builder(prefix + ".event.sequence.resets")
                .description(capitalised(events) + " event sequence went backwards (" + source + " counter reset)")
                .register(meters);
    }

    /**
     * Records one received event.
     *
     * @param seq the event's {@code seq}, or {@code null} for an event without one (an older publisher)
     * @return {@code true} when events were missed or the sequence was reset since the previous event
     */
    synchronized boolean gap(Long seq) {
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
            LOG.warnf("Missed %d %s event(s) (seq %d after %d); %s", seq - previous - 1, events, seq, previous, remedy);
        } else {
            resets.increment();
            LOG.warnf(
                    "%s event sequence went back (seq %d after %d: %s counter reset); %s",
                    capitalised(events), seq, previous, source, remedy);
        }
        return true;
    }

    /** @return the last {@code seq} seen, {@code -1} before the first */
    synchronized long last() {
        return last;
    }

    /** @return an event's {@code seq} field as a number, {@code null} when absent or not a whole number */
    static Long parse(String seq) {
        return seq == null || !seq.matches("\\d{1,18}") ? null : Long.valueOf(seq);
    }

    private static String capitalised(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
