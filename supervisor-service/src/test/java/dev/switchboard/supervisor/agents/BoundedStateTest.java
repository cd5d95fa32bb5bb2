package dev.switchboard.supervisor.agents;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.metrics.BoundedTagValues;
import dev.switchboard.common.metrics.MetricsConfig;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.peers.FaultToleranceConfig;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * State keyed by values from outside stays bounded. Agent versions come from registrations: 10,000 made-up versions
 * keep at most {@link AgentGuards#MAX_BREAKERS} circuit breakers, and, on a registry with the service's tag cap (here
 * 50, on a registry of its own so the flood cannot reach other tests' meters), at most that many version values. And
 * the service's own registry applies the cap ({@code METRICS_MAX_TAG_VALUES}) to every meter.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class BoundedStateTest {

    @Inject
    FaultToleranceConfig faultTolerance;

    @Inject
    MeterRegistry meters;

    @Inject
    MetricsConfig metrics;

    @Test
    void theServiceRegistryCountsTagValuesBeyondTheCapAsOther() {
        String name = "switchboard.test.flood." + UUID.randomUUID().toString().substring(0, 8);
        try {
            for (int i = 0; i < 10_000; i++) {
                meters.counter(name, "user", "made-up-" + i).increment();
            }
            assertEquals(
                    metrics.maxTagValues() + 1, meters.find(name).counters().size(), "the cap and other");
            assertEquals(
                    10_000 - metrics.maxTagValues(),
                    meters.get(name)
                            .tag("user", BoundedTagValues.OTHER)
                            .counter()
                            .count());
        } finally {
            meters.find(name).meters().forEach(meters::remove);
        }
    }

    @Test
    void tenThousandMadeUpAgentVersionsKeepBreakersAndMetersBounded() {
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new BoundedTagValues(50));
        AgentGuards guards = new AgentGuards(faultTolerance, registry);
        String agent = "flood_agent";
        AgentReply ok = new AgentReply("ok", List.of(), 0, 0, Map.of());
        for (int i = 0; i < 10_000; i++) {
            guards.call(descriptor(agent, "9." + i), () -> Uni.createFrom().item(ok))
                    .await()
                    .atMost(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> guards.breakers().size() <= AgentGuards.MAX_BREAKERS);
        List<Gauge> states = registry.find("switchboard.agent.circuit.breaker.state").gauges().stream()
                .toList();
        assertEquals(51, states.size(), "50 versions and other");
        assertTrue(
                states.stream()
                        .anyMatch(g -> BoundedTagValues.OTHER.equals(g.getId().getTag("version"))),
                "the versions beyond the cap share one meter");
    }

    private static AgentDescriptor descriptor(String name, String version) {
        return new AgentDescriptor(
                name,
                "made up",
                List.of(),
                version,
                "active",
                "remote",
                null,
                null,
                List.of(),
                "http://127.0.0.1:9/none",
                List.of(),
                Map.of(),
                false);
    }
}
