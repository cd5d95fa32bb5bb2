package dev.switchboard.supervisor.ops;

import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.peers.AgentRegistryClient;
import dev.switchboard.supervisor.peers.SupervisorInstance;
import dev.switchboard.supervisor.sessions.AdmissionControl;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Builds the cluster-wide {@link SystemStats}: replicas from agent-registry-service ({@code GET /supervisors}),
 * turn counters of the last minute from Redis ({@link ClusterStats}), agents from the local registry cache. A
 * missing source degrades the answer (a {@code warnings} entry) instead of failing it: registry down → this
 * replica alone; Redis down → zero counters.
 */
@ApplicationScoped
public class SystemStatsService {

    private static final Logger LOG = Logger.getLogger(SystemStatsService.class);
    private static final List<String> STATUSES = List.of("active", "inactive", "draining", "unhealthy");

    private final AgentRegistryClient registry;
    private final ClusterStats stats;
    private final AgentCache agents;
    private final AdmissionControl admission;
    private final SupervisorInstanceRegistrar registrar;

    SystemStatsService(
            AgentRegistryClient registry,
            ClusterStats stats,
            AgentCache agents,
            AdmissionControl admission,
            SupervisorInstanceRegistrar registrar) {
        this.registry = registry;
        this.stats = stats;
        this.agents = agents;
        this.admission = admission;
        this.registrar = registrar;
    }

    /** @return the cluster view; never fails (sources that did not answer are named in {@code warnings}) */
    public Uni<SystemStats> clusterStats() {
        List<String> warnings = new ArrayList<>();
        Uni<List<SupervisorInstance>> instances = registry.listSupervisors()
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.debugf("Supervisor list unavailable for /system/stats: %s", failure.getMessage());
                    synchronized (warnings) {
                        warnings.add("agent-registry unavailable: instances show this replica only");
                    }
                    return List.of(self());
                });
        Uni<ClusterStats.Window> window = stats.window().onFailure().recoverWithItem(failure -> {
            LOG.debugf("Turn counters unavailable for /system/stats: %s", failure.getMessage());
            synchronized (warnings) {
                warnings.add("redis unavailable: turn counters are zero");
            }
            return new ClusterStats.Window(ClusterStats.WINDOW_SECONDS, 0, 0, Map.of(), Map.of(), Map.of());
        });
        return Uni.combine().all().unis(instances, window).with((list, w) -> {
            List<SupervisorInstance> up =
                    list.stream().filter(SupervisorInstance::isUp).toList();
            long sessions = up.stream()
                    .mapToLong(i -> i.activeSessions() == null ? 0 : i.activeSessions())
                    .sum();
            List<String> notes;
            synchronized (warnings) {
                notes = warnings.isEmpty() ? null : List.copyOf(warnings);
            }
            return new SystemStats(
                    Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                    registrar.instanceId(),
                    list,
                    up.size(),
                    sessions,
                    Math.round(w.turnsPerSecond() * 100) / 100.0,
                    w.turns(),
                    agentStats(),
                    new SystemStats.Routing(w.byMethod(), w.byAgent()),
                    new SystemStats.Errors(w.errors(), w.byError()),
                    w.seconds(),
                    notes);
        });
    }

    /** This replica as the registry would list it (used when the registry does not answer). */
    private SupervisorInstance self() {
        return new SupervisorInstance(
                registrar.instanceId(),
                registrar.host(),
                registrar.port(),
                null,
                admission.max(),
                admission.inFlight(),
                "up",
                registrar.startedAt(),
                Instant.now());
    }

    private SystemStats.Agents agentStats() {
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        STATUSES.forEach(s -> byStatus.put(s, 0));
        Map<String, Integer> others = new TreeMap<>();
        for (AgentDescriptor agent : agents.agents().values()) {
            String status = agent.status() == null ? "unknown" : agent.status();
            (byStatus.containsKey(status) ? byStatus : others).merge(status, 1, Integer::sum);
        }
        byStatus.putAll(others);
        return new SystemStats.Agents(agents.agents().size(), byStatus);
    }
}
