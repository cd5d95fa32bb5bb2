package dev.switchboard.supervisor.sessions;

import dev.switchboard.supervisor.config.SupervisorConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-replica cap on turns in progress ({@code MAX_CONCURRENT_SESSIONS}): a turn counts from the moment it holds
 * its session's lease until it ends (messages waiting for a lease are bounded separately by the lease manager).
 * Exposed as gauge {@code switchboard_active_turns}.
 */
@ApplicationScoped
public class AdmissionControl {

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    AdmissionControl(SupervisorConfig config, MeterRegistry meters) {
        this.max = Math.max(1, config.maxConcurrentSessions());
        Gauge.builder("switchboard.active.turns", inFlight, AtomicInteger::get)
                .description("Chat turns holding a session lease on this replica")
                .register(meters);
    }

    /** @return {@code true} when a slot was taken (release it with {@link #release()}) */
    public boolean tryAcquire() {
        while (true) {
            int current = inFlight.get();
            if (current >= max) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Returns a slot taken with {@link #tryAcquire()}. */
    public void release() {
        inFlight.updateAndGet(n -> Math.max(0, n - 1));
    }

    /** @return turns in progress on this replica */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return the cap */
    public int max() {
        return max;
    }

    /** @return whether every slot is taken */
    public boolean isBusy() {
        return inFlight.get() >= max;
    }
}
