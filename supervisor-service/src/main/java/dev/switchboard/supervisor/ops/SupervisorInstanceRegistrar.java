package dev.switchboard.supervisor.ops;

import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.peers.AgentRegistryClient;
import dev.switchboard.supervisor.peers.SupervisorHeartbeat;
import dev.switchboard.supervisor.peers.SupervisorInstance;
import dev.switchboard.supervisor.sessions.AdmissionControl;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Registers this replica with agent-registry-service ({@code POST /supervisors}) at start, heartbeats every
 * {@code SUPERVISOR_HEARTBEAT_INTERVAL} with the turns in progress ({@link AdmissionControl#inFlight()}), registers
 * again when a heartbeat answers 404, and deregisters on shutdown. A registry that is down never fails startup or a
 * turn: each tick simply tries again. Id: {@code SUPERVISOR_ID}, else {@code <host>-<port>}.
 */
@ApplicationScoped
public class SupervisorInstanceRegistrar {

    /** Longest time shutdown waits for the deregistration. */
    public static final Duration DEREGISTER_WAIT = Duration.ofSeconds(2);

    private static final Logger LOG = Logger.getLogger(SupervisorInstanceRegistrar.class);
    static final String JOB = "supervisor-instance-heartbeat";

    private final AgentRegistryClient registry;
    private final AdmissionControl admission;
    private final SupervisorConfig config;
    private final Scheduler scheduler;
    private final Counter registeredCount;
    private final Counter heartbeatOk;
    private final Counter heartbeatFailed;
    private final Instant startedAt = Instant.now();
    private final AtomicBoolean registered = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicReference<Uni<Void>> deregistration = new AtomicReference<>();
    private final SupervisorIdentity identity;
    private volatile String id;
    private volatile String host;
    private volatile int port;

    SupervisorInstanceRegistrar(
            AgentRegistryClient registry,
            AdmissionControl admission,
            SupervisorConfig config,
            Scheduler scheduler,
            MeterRegistry meters,
            SupervisorIdentity identity) {
        this.registry = registry;
        this.identity = identity;
        this.admission = admission;
        this.config = config;
        this.scheduler = scheduler;
        this.registeredCount = heartbeats(meters, "registered");
        this.heartbeatOk = heartbeats(meters, "ok");
        this.heartbeatFailed = heartbeats(meters, "failed");
    }

    private static Counter heartbeats(MeterRegistry meters, String outcome) {
        return Counter.builder("switchboard.supervisor.heartbeats")
                .description("Registrations and heartbeats of this replica to agent-registry-service")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** After the HTTP server is up (its port is known): first registration and the heartbeat job. */
    void onStart(@Observes @Priority(50) StartupEvent event) {
        host = identity.host();
        port = identity.port();
        id = identity.id();
        Duration interval = config.instance().heartbeatInterval();
        scheduler
                .newJob(JOB)
                .setInterval(interval.toString())
                .setDelayed(interval.toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> tick())
                .schedule();
        LOG.infof(
                "Supervisor instance %s (%s:%d, version %s, capacity %d) heartbeats every %s",
                id, host, port, config.instance().version(), admission.max(), interval);
        tick().subscribe().with(ignored -> {});
    }

    /** Deregisters within {@link #DEREGISTER_WAIT} when the application stops (also safe after {@link #deregister()}). */
    void onStop(@Observes ShutdownEvent event) {
        try {
            deregister().await().atMost(DEREGISTER_WAIT.plusMillis(500));
        } catch (RuntimeException e) {
            LOG.warnf("Deregistration of supervisor %s did not finish: %s", id, e.getMessage());
        }
    }

    /**
     * One heartbeat period: registers when not registered yet, else heartbeats (registering again on 404). Never
     * fails; does nothing after {@link #deregister()}.
     */
    Uni<Void> tick() {
        if (stopped.get() || id == null) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> step = registered.get() ? heartbeat() : register();
        return step.onFailure()
                .invoke(failure -> {
                    heartbeatFailed.increment();
                    LOG.debugf(
                            "Supervisor %s: registry not reachable (%s); retrying in %s",
                            id, failure.getMessage(), config.instance().heartbeatInterval());
                })
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> register() {
        SupervisorInstance body = new SupervisorInstance(
                id,
                host,
                port,
                config.instance().version(),
                admission.max(),
                admission.inFlight(),
                null,
                startedAt,
                null);
        return registry.registerSupervisor(body)
                .invoke(instance -> {
                    if (stopped.get()) {
                        return; // raced with shutdown: deregister() deletes it anyway
                    }
                    if (!registered.getAndSet(true)) {
                        LOG.infof("Registered supervisor instance %s with agent-registry-service", id);
                    }
                    registeredCount.increment();
                })
                .replaceWithVoid();
    }

    private Uni<Void> heartbeat() {
        return registry.heartbeatSupervisor(id, new SupervisorHeartbeat(admission.inFlight(), admission.max()))
                .invoke(() -> heartbeatOk.increment())
                .replaceWithVoid()
                .onFailure(
                        f -> f instanceof dev.switchboard.supervisor.peers.PeerRejectedException p && p.status() == 404)
                .recoverWithUni(notFound -> {
                    LOG.infof(
                            "Registry does not know supervisor %s (expired or registry data lost); registering again",
                            id);
                    registered.set(false);
                    return register();
                });
    }

    /**
     * Stops heartbeats and deletes this instance from the registry ({@code DELETE /supervisors/{id}}), waiting at
     * most {@link #DEREGISTER_WAIT}. Idempotent: every call after the first returns the same (cached) outcome.
     * Never fails (a registry that is down or slow is logged; the registry expires the instance later anyway).
     *
     * @return completes when deregistered, given up, or there was nothing to deregister
     */
    public Uni<Void> deregister() {
        Uni<Void> fresh =
                Uni.createFrom().deferred(this::deleteInstance).memoize().indefinitely();
        return deregistration.compareAndSet(null, fresh) ? fresh : deregistration.get();
    }

    private Uni<Void> deleteInstance() {
        stopped.set(true);
        if (id == null) {
            return Uni.createFrom().voidItem();
        }
        scheduler.unscheduleJob(JOB);
        return registry.deregisterSupervisor(id)
                .ifNoItem()
                .after(DEREGISTER_WAIT)
                .fail()
                .invoke(() -> LOG.infof("Deregistered supervisor instance %s", id))
                .onFailure()
                .invoke(failure -> LOG.infof(
                        "Could not deregister supervisor instance %s (%s); the registry" + " will mark it stale",
                        id, failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .invoke(() -> registered.set(false));
    }

    /** @return this replica's instance id ({@code null} before start) */
    public String instanceId() {
        return id;
    }

    /** @return the advertised host */
    public String host() {
        return host;
    }

    /** @return the advertised port */
    public int port() {
        return port;
    }

    /** @return when this replica started */
    public Instant startedAt() {
        return startedAt;
    }

    /** @return whether the registry has acknowledged this replica (and it has not deregistered) */
    public boolean isRegistered() {
        return registered.get();
    }
}
