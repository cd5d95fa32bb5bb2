package dev.switchboard.supervisor.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.supervisor.agents.AgentDescriptor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VersionPickerTest {

    private static AgentDescriptor agent(int a, int b) {
        return new AgentDescriptor(
                "x",
                "d",
                List.of(),
                "1.0.0",
                "active",
                "remote",
                null,
                null,
                List.of(),
                "http://h/s",
                List.of(),
                Map.of(),
                false,
                List.of(
                        new AgentDescriptor.Version("2.0.0", a, "http://h/a", null, null),
                        new AgentDescriptor.Version("3.0.0", b, "http://h/b", null, null)));
    }

    @Test
    void splitsByWeightDeterministicallyAndSkipsExcludedVersions() {
        int[] counts = new int[3];
        AgentDescriptor agent = agent(25, 50);
        for (int i = 0; i < 10_000; i++) {
            String session = UUID.randomUUID().toString();
            String version = VersionPicker.pick(agent, session, Set.of());
            assertEquals(version, VersionPicker.pick(agent, session, Set.of()), "same session, same version");
            counts[
                    switch (version) {
                        case "1.0.0" -> 0;
                        case "2.0.0" -> 1;
                        default -> 2;
                    }]++;
        }
        // expected 25 % / 25 % / 50 %; ±2 points is over 4 standard deviations at n = 10,000
        assertTrue(Math.abs(counts[0] - 2500) < 200, "stable " + counts[0]);
        assertTrue(Math.abs(counts[1] - 2500) < 200, "2.0.0 " + counts[1]);
        assertTrue(Math.abs(counts[2] - 5000) < 200, "3.0.0 " + counts[2]);
        for (int i = 0; i < 1000; i++) {
            assertTrue(!VersionPicker.pick(agent, "s" + i, Set.of("3.0.0")).equals("3.0.0"));
        }
        assertEquals("1.0.0", VersionPicker.pick(agent(0, 0), "any", Set.of()));
    }

    @Test
    void triggersFollowSeed001() {
        RolloutConfig config = new RolloutConfig() {
            public Duration assignmentTtl() {
                return Duration.ofHours(1);
            }

            public boolean autoRollback() {
                return true;
            }

            public Duration window() {
                return Duration.ofMinutes(5);
            }

            public int minSamples() {
                return 20;
            }

            public double maxErrorRate() {
                return 0.05;
            }

            public Duration maxP95() {
                return Duration.ofSeconds(3);
            }
        };
        RolloutMonitor monitor = new RolloutMonitor(config, null, null, new SimpleMeterRegistry());
        assertEquals(
                "error_rate 0.060 > 0.050 over 50 turns",
                monitor.trigger(new RolloutMonitor.Health(50, 0.06, Duration.ofMillis(100)))
                        .orElseThrow());
        assertTrue(
                monitor.trigger(new RolloutMonitor.Health(50, 0.05, Duration.ofMillis(3000)))
                        .isEmpty(),
                "exactly 5 % and exactly 3 s do not trigger");
        assertEquals(
                "p95 3001 ms > 3000 ms over 20 turns",
                monitor.trigger(new RolloutMonitor.Health(20, 0.0, Duration.ofMillis(3001)))
                        .orElseThrow());
        assertTrue(
                monitor.trigger(new RolloutMonitor.Health(19, 1.0, Duration.ofSeconds(10)))
                        .isEmpty(),
                "too few turns to judge");
    }
}
