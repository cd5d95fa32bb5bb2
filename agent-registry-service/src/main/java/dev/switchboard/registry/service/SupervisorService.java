package dev.switchboard.registry.service;

import dev.switchboard.registry.SupervisorInstance;
import dev.switchboard.registry.SupervisorNotFoundException;
import dev.switchboard.registry.SupervisorRegistration;
import dev.switchboard.registry.config.RegistryConfig;
import dev.switchboard.registry.event.SupervisorEvent;
import dev.switchboard.registry.event.SupervisorEventPublisher;
import dev.switchboard.registry.repository.SupervisorRepository;
import dev.switchboard.registry.repository.SupervisorWrite;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Supervisor instances: register (idempotent upsert), heartbeat, deregister, list with live {@code up}/{@code stale}
 * status, and the monitor pass that announces silent instances once and deletes long-silent ones. PostgreSQL is
 * the truth (no cache: a handful of rows); events go to {@code sb:events:supervisors} after each committed change.
 */
@ApplicationScoped
public class SupervisorService {

    /** An instance silent for this many heartbeat timeouts is deleted. */
    public static final int EXPIRY_FACTOR = 10;

    private static final Logger LOG = Logger.getLogger(SupervisorService.class);

    private final SupervisorRepository repository;
    private final SupervisorEventPublisher events;
    private final RegistryMetrics metrics;
    private final Duration timeout;

    /** Constructor injection. */
    public SupervisorService(
            SupervisorRepository repository,
            SupervisorEventPublisher events,
            RegistryMetrics metrics,
            RegistryConfig config) {
        this.repository = repository;
        this.events = events;
        this.metrics = metrics;
        this.timeout = config.supervisors().heartbeatTimeout();
    }

    /** @return silence after which an instance is {@code stale} */
    public Duration heartbeatTimeout() {
        return timeout;
    }

    /**
     * Registers (or re-registers) an instance and publishes {@code supervisor.registered}.
     *
     * @param registration a validated body
     * @return the stored instance and whether it was new
     */
    public Uni<SupervisorWrite> registerSupervisor(SupervisorRegistration registration) {
        return repository
                .registerSupervisor(registration)
                .invoke(write -> LOG.infof(
                        "Supervisor %s %s (%s:%d, version %s, capacity %d)",
                        registration.id(),
                        write.created() ? "registered" : "re-registered",
                        registration.host(),
                        registration.port(),
                        registration.versionOrDefault(),
                        registration.capacity()))
                .call(write -> events.publish(SupervisorEvent.REGISTERED, registration.id(), null));
    }

    /**
     * Records a heartbeat.
     *
     * @param capacity new capacity, or {@code null} to keep it
     * @throws SupervisorNotFoundException (as a failure) if the instance is not registered (it should register)
     */
    public Uni<SupervisorInstance> recordHeartbeat(String id, int activeSessions, Integer capacity) {
        return repository
                .recordHeartbeat(id, activeSessions, capacity)
                .onItem()
                .ifNull()
                .failWith(() -> new SupervisorNotFoundException(id));
    }

    /**
     * Deregisters an instance and publishes {@code supervisor.deregistered} (reason {@code shutdown}).
     *
     * @throws SupervisorNotFoundException (as a failure) if the instance is not registered
     */
    public Uni<Void> deregisterSupervisor(String id) {
        return repository
                .deleteSupervisor(id)
                .onItem()
                .transformToUni(deleted -> deleted
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new SupervisorNotFoundException(id)))
                .invoke(() -> LOG.infof("Supervisor %s deregistered", id))
                .call(() -> events.publish(SupervisorEvent.DEREGISTERED, id, "shutdown"));
    }

    /**
     * @param status {@code up}, {@code stale} or {@code null} for all
     * @return the instances sorted by id
     */
    public Uni<List<SupervisorInstance>> listSupervisors(String status) {
        return repository
                .listSupervisors(timeout)
                .map(all -> status == null
                        ? all
                        : all.stream().filter(s -> status.equals(s.status())).toList());
    }

    /**
     * One monitor pass: announces instances that just went silent ({@code supervisor.stale}, once per silence),
     * deletes those silent for {@value #EXPIRY_FACTOR} timeouts ({@code supervisor.deregistered}, reason
     * {@code expired}) and refreshes the {@code registry_supervisors} gauges. Each step is one conditional statement,
     * so registry replicas running it at once announce each change once.
     *
     * @return the ids marked stale by this pass
     */
    public Uni<List<String>> checkSupervisors() {
        return repository
                .markStale(timeout)
                .call(stale -> Multi.createFrom()
                        .iterable(stale)
                        .onItem()
                        .transformToUniAndConcatenate(id -> {
                            LOG.infof("Supervisor %s is stale (no heartbeat for %s)", id, timeout);
                            return events.publish(SupervisorEvent.STALE, id, null);
                        })
                        .collect()
                        .asList())
                .call(() -> repository
                        .deleteSilent(timeout.multipliedBy(EXPIRY_FACTOR))
                        .call(expired -> Multi.createFrom()
                                .iterable(expired)
                                .onItem()
                                .transformToUniAndConcatenate(id -> {
                                    LOG.infof(
                                            "Supervisor %s removed after %s without heartbeat",
                                            id, timeout.multipliedBy(EXPIRY_FACTOR));
                                    return events.publish(SupervisorEvent.DEREGISTERED, id, "expired");
                                })
                                .collect()
                                .asList()))
                .call(() -> repository.listSupervisors(timeout).invoke(all -> {
                    long up = all.stream()
                            .filter(s -> SupervisorInstance.UP.equals(s.status()))
                            .count();
                    metrics.supervisors(up, all.size() - up);
                }));
    }
}
