package dev.switchboard.supervisor.erasure;

import dev.switchboard.supervisor.peers.StateClient;
import dev.switchboard.supervisor.peers.StateErasure;
import dev.switchboard.supervisor.peers.UserSessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Erases a person's data in every service: state-service's sessions and checkpoints (messages, turn records) with
 * their Redis keys, the supervisor's rows (queued webhook payloads, appointments, the login account) and Redis keys
 * (leases, rate-limit buckets, failed-login counters, canary assignments), and every replica's in-memory session
 * snapshots; then writes the audit row. agent-registry-service and prompt-service hold nothing of a person.
 *
 * <p>Order: the supervisor's rows of the sessions known before (so a retry after a failure still finds the
 * appointments of sessions state-service already erased), then state-service (which raises its erasure fences first, so
 * a turn in flight cannot write the sessions back: its lease token predates the erasure), then the rows of any session
 * state-service found besides, then the Redis keys. Idempotent: erasing again removes nothing more and answers zero
 * counts (and is audited again).
 */
@ApplicationScoped
public class ErasureService {

    private static final Logger LOG = Logger.getLogger(ErasureService.class);

    private final StateClient state;
    private final ErasureRepository repository;
    private final ErasureKeys keys;
    private final ErasureEvents events;
    private final MeterRegistry meters;

    ErasureService(
            StateClient state,
            ErasureRepository repository,
            ErasureKeys keys,
            ErasureEvents events,
            MeterRegistry meters) {
        this.state = state;
        this.repository = repository;
        this.keys = keys;
        this.events = events;
        this.meters = meters;
    }

    /**
     * Erases the subject's data.
     *
     * @param subject     a user or a CRM contact
     * @param requestedBy the caller's name, for the audit
     * @return what was removed, with the audit row's id; fails with 503 {@code dependency-unavailable} / 504
     *         {@code dependency-timeout} when state-service does not answer (nothing is audited; repeat the request)
     */
    public Uni<Erasure> erase(ErasureSubject subject, String requestedBy) {
        return knownSessions(subject)
                .chain(known -> repository
                        .deleteRows(subject, known)
                        .chain(before -> state.erase(
                                        subject.isContact() ? null : subject.userId(),
                                        subject.isContact() ? List.of(subject.contactSessionId()) : null)
                                .chain(erased -> {
                                    Set<String> found = new LinkedHashSet<>(erased.sessionIds());
                                    found.removeAll(known);
                                    Uni<ErasureRepository.Deleted> after = found.isEmpty()
                                            ? Uni.createFrom().item(new ErasureRepository.Deleted(0, 0, 0))
                                            : repository.deleteRows(subject, found);
                                    Set<String> sessions = new LinkedHashSet<>(known);
                                    sessions.addAll(erased.sessionIds());
                                    return after.chain(more -> keys.delete(subject.userId(), sessions)
                                            .call(() -> events.erased(sessions))
                                            .map(redisKeys -> counts(erased, before.plus(more), redisKeys)));
                                })))
                .map(counts -> new Erasure(
                        UUID.randomUUID(),
                        subject.kind(),
                        requestedBy,
                        Instant.now().truncatedTo(ChronoUnit.MILLIS),
                        counts))
                .call(erasure -> repository.audit(erasure, subject))
                .invoke(erasure -> {
                    Counter.builder("switchboard.erasures")
                            .description("Completed erasures of a user's or a CRM contact's data")
                            .tag("subject", subject.kind())
                            .register(meters)
                            .increment();
                    // the audit id and counts, never the id erased
                    LOG.infof(
                            "Erasure %s of a %s by %s: %s",
                            erasure.erasureId(), subject.kind(), requestedBy, erasure.counts());
                });
    }

    /** The sessions the supervisor knows of before state-service erases them: the user's, or the contact's. */
    private Uni<Set<String>> knownSessions(ErasureSubject subject) {
        if (subject.isContact()) {
            return Uni.createFrom().item(Set.of(subject.contactSessionId()));
        }
        return state.listUserSessions(subject.userId()).map(list -> {
            Set<String> ids = new LinkedHashSet<>();
            if (list.sessions() != null) {
                list.sessions().stream().map(UserSessions.Summary::sessionId).forEach(ids::add);
            }
            return ids;
        });
    }

    private static Erasure.Counts counts(StateErasure erased, ErasureRepository.Deleted deleted, int redisKeys) {
        return new Erasure.Counts(
                erased.sessions(),
                erased.checkpoints(),
                deleted.queueRows(),
                deleted.appointments(),
                deleted.users(),
                erased.redisKeys() + redisKeys);
    }
}
