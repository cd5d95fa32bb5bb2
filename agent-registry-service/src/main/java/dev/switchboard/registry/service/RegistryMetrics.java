package dev.switchboard.registry.service;

import dev.switchboard.registry.AgentStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registry meters: {@code registry_agent_registrations_total{outcome=created|updated|unchanged}} and
 * {@code registry_agents{status=...}} (cluster-wide counts from PostgreSQL, refreshed by the heartbeat monitor) and
 * {@code registry_supervisors{status=up|stale}} (registered supervisor instances, refreshed by the same monitor).
 */
@ApplicationScoped
public class RegistryMetrics {

    private final Map<AgentStatus, AtomicLong> byStatus = new EnumMap<>(AgentStatus.class);
    private final AtomicLong supervisorsUp = new AtomicLong();
    private final AtomicLong supervisorsStale = new AtomicLong();
    private final Counter created;
    private final Counter updated;
    private final Counter unchanged;

    private final MeterRegistry meterRegistry;

    /** Registers the meters. */
    public RegistryMetrics(MeterRegistry registry) {
        this.meterRegistry = registry;
        for (AgentStatus status : AgentStatus.values()) {
            AtomicLong value = new AtomicLong();
            byStatus.put(status, value);
            Gauge.builder("registry.agents", value, AtomicLong::get)
                    .description("Registered agents by status")
                    .tag("status", status.wire())
                    .register(registry);
        }
        Gauge.builder("registry.supervisors", supervisorsUp, AtomicLong::get)
                .description("Registered supervisor instances by status")
                .tag("status", "up")
                .register(registry);
        Gauge.builder("registry.supervisors", supervisorsStale, AtomicLong::get)
                .description("Registered supervisor instances by status")
                .tag("status", "stale")
                .register(registry);
        created = registrations(registry, "created");
        updated = registrations(registry, "updated");
        unchanged = registrations(registry, "unchanged");
    }

    private static Counter registrations(MeterRegistry registry, String outcome) {
        return Counter.builder("registry.agent.registrations")
                .description("POST /agents calls by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Counts one rollback that changed weights ({@code registry_rollbacks_total{agent}}). */
    public void rollback(String agent) {
        Counter.builder("registry.rollbacks")
                .description("Canary rollbacks that changed traffic weights")
                .tag("agent", agent)
                .register(meterRegistry)
                .increment();
    }

    /** Counts one registration call by what it did. */
    public void registration(boolean wasCreated, boolean changed) {
        (wasCreated ? created : changed ? updated : unchanged).increment();
    }

    /** Sets the supervisor instance gauges. */
    public void supervisors(long up, long stale) {
        supervisorsUp.set(up);
        supervisorsStale.set(stale);
    }

    /** Replaces the per-status gauges with {@code counts} (status wire value to number of agents). */
    public void agentsByStatus(Map<String, Long> counts) {
        byStatus.forEach((status, value) -> value.set(counts.getOrDefault(status.wire(), 0L)));
    }
}
