package dev.switchboard.supervisor.ops;

import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.sessions.AdmissionControl;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Gauges read at scrape time: {@code switchboard_active_sessions} (turns in progress on this replica),
 * {@code switchboard_max_concurrent_sessions} (its cap) and {@code switchboard_agents{status}} (agents per status in
 * the local registry cache).
 */
@Startup
@ApplicationScoped
public class SupervisorGauges {

    /** Agent statuses that always have a gauge (0 when no agent has them). */
    public static final List<String> STATUSES = List.of("active", "inactive", "draining", "unhealthy");

    SupervisorGauges(MeterRegistry meters, AdmissionControl admission, AgentCache agents) {
        Gauge.builder("switchboard.active.sessions", admission, AdmissionControl::inFlight)
                .description("Chat turns in progress on this replica")
                .register(meters);
        Gauge.builder("switchboard.max.concurrent.sessions", admission, AdmissionControl::max)
                .description("Turns this replica takes at once (MAX_CONCURRENT_SESSIONS)")
                .register(meters);
        for (String status : STATUSES) {
            Gauge.builder("switchboard.agents", agents, cache -> count(cache, status))
                    .description("Registered agents by status (local registry cache)")
                    .tag("status", status)
                    .register(meters);
        }
    }

    private static double count(AgentCache cache, String status) {
        return cache.agents().values().stream()
                .map(AgentDescriptor::status)
                .filter(status::equals)
                .count();
    }
}
