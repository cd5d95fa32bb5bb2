package dev.switchboard.supervisor.peers;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Follows the {@code seq} of prompt events (prompt-service numbers them cluster-wide, one by one). A jump means pub/sub
 * dropped events ({@code switchboard_prompt_event_gaps_total}, the missed count in
 * {@code switchboard_prompt_events_missed_total}); a smaller number means prompt-service's counter was reset
 * ({@code switchboard_prompt_event_sequence_resets_total}). Either way the caller marks every cached prompt stale, as
 * a lost event may have named any of them.
 */
@ApplicationScoped
public class PromptEventSequence {

    private final EventSequence sequence;

    PromptEventSequence(MeterRegistry meters) {
        this.sequence = new EventSequence(
                meters, "switchboard.prompt", "prompt", "prompt-service", "marking every cached prompt stale");
    }

    /**
     * Records one received event.
     *
     * @param seq the event's {@code seq}, or {@code null} for an event without one (older prompt-service)
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
