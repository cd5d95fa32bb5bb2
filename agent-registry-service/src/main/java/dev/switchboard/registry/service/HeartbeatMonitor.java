package dev.switchboard.registry.service;

import dev.switchboard.registry.Agent;
import dev.switchboard.registry.config.RegistryConfig;
import dev.switchboard.registry.event.AgentEvent;
import dev.switchboard.registry.repository.AgentRepository;
import dev.switchboard.registry.repository.AgentWrite;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Every {@code HEARTBEAT_CHECK_INTERVAL}, marks {@code active} remote agents that have neither heartbeated
 * nor changed for {@code HEARTBEAT_TIMEOUT} as {@code unhealthy} and publishes {@code agent.status_changed}
 * for each. One conditional UPDATE does the marking, so replicas running the monitor at once change (and
 * announce) each agent once. In-process {@code llm} agents are never marked. Also refreshes the
 * agents-by-status gauges, and runs {@link SupervisorService#checkSupervisors()} (stale and expired supervisor
 * instances) independently of the agent pass.
 */
@ApplicationScoped
public class HeartbeatMonitor {

    private static final Logger LOG = Logger.getLogger(HeartbeatMonitor.class);
    private static final String JOB = "registry-heartbeat-monitor";

    private final AgentRepository repository;
    private final AgentService service;
    private final RegistryMetrics metrics;
    private final SupervisorService supervisors;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Duration interval;

    /** Constructor injection. */
    public HeartbeatMonitor(
            AgentRepository repository,
            AgentService service,
            RegistryMetrics metrics,
            SupervisorService supervisors,
            Scheduler scheduler,
            RegistryConfig config) {
        this.repository = repository;
        this.service = service;
        this.metrics = metrics;
        this.supervisors = supervisors;
        this.scheduler = scheduler;
        this.timeout = config.heartbeat().timeout();
        this.interval = config.heartbeat().checkInterval();
    }

    /** Schedules the monitor after seeding (the interval comes from config, hence a programmatic job). */
    void schedule(@Observes @Priority(20) StartupEvent event) {
        scheduler
                .newJob(JOB)
                .setInterval(interval.toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> Uni.combine()
                        .all()
                        .unis(
                                checkHeartbeats()
                                        .onFailure()
                                        .invoke(e -> LOG.warnf("Heartbeat check failed: %s", e.getMessage()))
                                        .onFailure()
                                        .recoverWithNull(),
                                supervisors
                                        .checkSupervisors()
                                        .onFailure()
                                        .invoke(e -> LOG.warnf("Supervisor check failed: %s", e.getMessage()))
                                        .onFailure()
                                        .recoverWithNull())
                        .discardItems())
                .schedule();
        LOG.infof(
                "Heartbeat monitor scheduled: every %s, remote agents silent for %s become unhealthy,"
                        + " supervisors silent for %s become stale",
                interval, timeout, supervisors.heartbeatTimeout());
    }

    /**
     * One monitor pass: marks silent remote agents unhealthy, announces each, refreshes the gauges.
     *
     * @return the agents this pass marked (empty if none, or if another replica marked them first)
     */
    public Uni<List<Agent>> checkHeartbeats() {
        return repository
                .markSilentAgentsUnhealthy(timeout)
                .call(marked -> Multi.createFrom()
                        .iterable(marked)
                        .onItem()
                        .transformToUniAndConcatenate(agent -> service.afterWrite(
                                new AgentWrite(agent, AgentWrite.Change.UPDATED), AgentEvent.STATUS_CHANGED))
                        .collect()
                        .asList())
                .call(() -> repository.countByStatus().invoke(metrics::agentsByStatus));
    }
}
