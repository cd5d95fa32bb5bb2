package dev.switchboard.supervisor.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class AgentEventSequenceTest {

    @Test
    void detectsGapsAndResetsButNotConsecutiveEvents() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AgentEventSequence sequence = new AgentEventSequence(meters);
        assertFalse(sequence.gap(10L), "the first event sets the baseline");
        assertFalse(sequence.gap(11L));
        assertFalse(sequence.gap(null), "events without seq (older registry) are ignored");
        assertTrue(sequence.gap(15L), "12..14 were lost");
        assertEquals(1.0, meters.counter("switchboard.registry.event.gaps").count());
        assertEquals(3.0, meters.counter("switchboard.registry.events.missed").count());
        assertFalse(sequence.gap(16L));
        assertTrue(sequence.gap(1L), "the registry's counter was reset (Redis flush)");
        assertEquals(
                1.0,
                meters.counter("switchboard.registry.event.sequence.resets").count());
        assertFalse(sequence.gap(2L));
        assertEquals(2L, sequence.last());
    }
}
