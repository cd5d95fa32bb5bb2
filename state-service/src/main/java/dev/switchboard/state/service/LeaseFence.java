package dev.switchboard.state.service;

import dev.switchboard.state.StaleFencingTokenException;
import dev.switchboard.state.config.StateConfig;
import dev.switchboard.state.store.LeaseStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Fences a write against the session's lease in Redis: a write whose {@code X-Fencing-Token} is lower than the token
 * of the newest lease the supervisor granted for the session (held now, or held since the writer's own) comes from a
 * holder that lost the session, even when the new holder has not written yet, and is refused.
 *
 * <p>When no lease was granted after the writer's (its lease expired and nobody took the session since, or it is
 * still held), the write goes through: it comes from the session's last holder, which nobody has displaced. Should
 * Redis not answer (a failure, or nothing within {@link StateConfig#leaseCheckTimeout()}), the write goes through too,
 * fenced only by the highest token PostgreSQL recorded for the session (checked before this), and the skipped check is
 * logged and counted: a Redis outage must not stop writes.
 */
@ApplicationScoped
public class LeaseFence {

    private static final Logger LOG = Logger.getLogger(LeaseFence.class);

    private final LeaseStore leases;
    private final Duration timeout;
    private final Counter refused;
    private final Counter unchecked;

    /** Wires the lease reader, its timeout ({@link StateConfig#leaseCheckTimeout()}) and the metrics. */
    public LeaseFence(LeaseStore leases, StateConfig config, MeterRegistry registry) {
        this.leases = leases;
        this.timeout = config.leaseCheckTimeout();
        this.refused = refusals(registry, "lease");
        this.unchecked = Counter.builder("switchboard.state.fencing.lease.unchecked")
                .description("Fenced writes whose session lease could not be read from Redis (checked against the"
                        + " highest token PostgreSQL recorded only)")
                .register(registry);
    }

    /**
     * @param against {@code lease} (a newer lease in Redis) or {@code session} (a newer token the session recorded)
     * @return the counter {@code switchboard_state_fencing_refused_total{against}}
     */
    static Counter refusals(MeterRegistry registry, String against) {
        return Counter.builder("switchboard.state.fencing.refused")
                .description("Writes refused with stale-fencing-token, by what held the newer token")
                .tag("against", against)
                .register(registry);
    }

    /**
     * Checks a write's token against the session's newest lease.
     *
     * @param sessionId    the session written
     * @param fencingToken the write's {@code X-Fencing-Token}, or {@code null} (an unfenced write: not checked)
     * @return completes when the write may go on; fails with {@link StaleFencingTokenException} (409
     *         {@code stale-fencing-token}) when a newer lease was granted; never fails because Redis did
     */
    public Uni<Void> check(String sessionId, Long fencingToken) {
        if (fencingToken == null) {
            return Uni.createFrom().voidItem();
        }
        return leases.findNewestLeaseToken(sessionId)
                .ifNoItem()
                .after(timeout)
                .fail()
                .onFailure()
                .recoverWithItem(failure -> {
                    unchecked.increment();
                    LOG.warnf(
                            "Could not read the lease of session %s (%s); write with fencing token %d checked against"
                                    + " PostgreSQL only",
                            sessionId, failure.toString(), fencingToken);
                    return OptionalLong.empty();
                })
                .map(newest -> {
                    if (newest.isPresent() && fencingToken < newest.getAsLong()) {
                        refused.increment();
                        LOG.infof(
                                "Refused write to session %s: fencing token %d is older than the session's lease"
                                        + " (token %d)",
                                sessionId, fencingToken, newest.getAsLong());
                        throw StaleFencingTokenException.leaseTakenOver(sessionId, fencingToken, newest.getAsLong());
                    }
                    return null;
                })
                .replaceWithVoid();
    }
}
