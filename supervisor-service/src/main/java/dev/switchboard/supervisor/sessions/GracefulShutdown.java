package dev.switchboard.supervisor.sessions;

import dev.switchboard.supervisor.config.SupervisorConfig;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown of a supervisor replica (SIGTERM). In order:
 * <ol>
 * <li>Quarkus' pre-shutdown ({@code ShutdownDelayInitiatedEvent}): this replica starts draining — readiness
 * {@code shutdown} goes DOWN, new chats get 503 {@code shutting-down} with {@code Retry-After}, messages waiting
 * for a session lease here are answered 503 {@code shutting-down} and leave the session's queue;</li>
 * <li>during {@code quarkus.shutdown.delay} ({@code SHUTDOWN_DELAY}) the HTTP server still answers (so load
 * balancers see readiness DOWN), then it stops taking requests and waits for in-flight ones up to
 * {@code quarkus.shutdown.timeout} ({@code SHUTDOWN_GRACE});</li>
 * <li>{@code ShutdownEvent}: waits (bounded by what is left of {@code SHUTDOWN_GRACE}) until no turn holds a
 * lease, then releases any lease still held, so the sessions are free at once instead of after the lease TTL.</li>
 * </ol>
 * A turn is acknowledged (200) only after state-service wrote its checkpoint, so even {@code kill -9} loses nothing
 * acknowledged; it only leaves leases to expire.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    private static final long POLL_MS = 50;

    private final SessionLeaseManager leases;
    private final AdmissionControl admission;
    private final Duration grace;
    private volatile boolean draining;
    private volatile long drainStarted;

    GracefulShutdown(SessionLeaseManager leases, AdmissionControl admission, SupervisorConfig config) {
        this.leases = leases;
        this.admission = admission;
        this.grace = config.shutdownGrace();
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        beginDrain();
    }

    /** Blocking is fine here: the shutdown thread, never an event loop. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        beginDrain();
        long deadline = drainStarted + grace.toNanos();
        while (admission.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = admission.inFlight();
        if (left > 0) {
            LOG.warnf("Shutdown grace %s over with %d turns still running; releasing their leases", grace, left);
        }
        int held = leases.held();
        try {
            leases.releaseAll().await().atMost(Duration.ofSeconds(3));
        } catch (RuntimeException e) {
            LOG.warnf("Could not release %d leases on shutdown (they expire by TTL): %s", held, e.getMessage());
        }
        LOG.infof("Supervisor drained: %d leases released", held);
    }

    /** Starts draining (idempotent): readiness DOWN, new chats 503 {@code shutting-down}, local waiters answered. */
    public void beginDrain() {
        if (draining) {
            return;
        }
        drainStarted = System.nanoTime();
        draining = true;
        LOG.infof(
                "Draining: readiness DOWN, new chats refused, %d waiting messages answered 503; %d turns in"
                        + " flight (grace %s)",
                leases.waiting(), admission.inFlight(), grace);
        leases.drainWaiters().subscribe().with(v -> {}, f -> LOG.debugf("Drain of waiters failed: %s", f.getMessage()));
    }

    /** Calls a drain off (tests; a cancelled shutdown): readiness UP and chats accepted again. */
    public void resume() {
        draining = false;
        leases.resume();
    }

    /** @return whether this replica is draining */
    public boolean isDraining() {
        return draining;
    }
}
