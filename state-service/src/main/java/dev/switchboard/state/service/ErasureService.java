package dev.switchboard.state.service;

import dev.switchboard.common.digest.Sha256;
import dev.switchboard.state.Erasure;
import dev.switchboard.state.repository.CheckpointRepository;
import dev.switchboard.state.store.ErasureFences;
import dev.switchboard.state.store.SessionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Erasure of a person's data: every session of a user, or named sessions (a CRM contact's), with their checkpoints
 * (messages, turn records, state), their Redis copies and index entries, and the sessions forked from them.
 *
 * <p>Order: first the erasure fences are raised ({@link ErasureFences}), then the sessions are looked up and deleted.
 * A write that was in flight (its fencing token predates the erasure) and lands after the lookup is refused by the
 * fence after its insert ({@link SessionService}); one that landed before is found and deleted. Either way nothing the
 * person wrote before the erasure survives it. Idempotent: a second erasure finds nothing and answers zero counts.
 */
@ApplicationScoped
public class ErasureService {

    private static final Logger LOG = Logger.getLogger(ErasureService.class);

    private final SessionService sessions;
    private final CheckpointRepository repository;
    private final SessionStore store;
    private final ErasureFences fences;
    private final Counter erasures;
    private final Counter erasedSessions;
    private final Counter erasedCheckpoints;

    /** Wires the collaborators and the metrics. */
    public ErasureService(
            SessionService sessions,
            CheckpointRepository repository,
            SessionStore store,
            ErasureFences fences,
            MeterRegistry registry) {
        this.sessions = sessions;
        this.repository = repository;
        this.store = store;
        this.fences = fences;
        this.erasures = Counter.builder("switchboard.state.erasures")
                .description("Erasures of a user's or of named sessions' data")
                .register(registry);
        this.erasedSessions = Counter.builder("switchboard.state.erased.sessions")
                .description("Sessions deleted by erasures")
                .register(registry);
        this.erasedCheckpoints = Counter.builder("switchboard.state.erased.checkpoints")
                .description("Checkpoint rows deleted by erasures")
                .register(registry);
    }

    /**
     * Erases a user's sessions and/or the named sessions, and the sessions forked from any of them.
     *
     * @param userId     the user, or {@code null}
     * @param sessionIds sessions to erase (may be empty)
     * @return the counts and the erased session ids
     */
    public Uni<Erasure> erase(String userId, List<String> sessionIds) {
        List<String> named = sessionIds == null ? List.of() : List.copyOf(sessionIds);
        return fences.raise(userId, named)
                .chain(fence -> repository.findSessionsToErase(userId, named))
                // a named session without rows may still have a Redis copy
                .map(found ->
                        Stream.concat(found.stream(), named.stream()).distinct().toList())
                .chain(found -> Multi.createFrom()
                        .iterable(found)
                        .onItem()
                        .transformToUni(id -> sessions.eraseSession(id).map(purged -> new Erased(id, purged)))
                        .merge(4)
                        .collect()
                        .asList())
                .chain(erased -> (userId == null ? Uni.createFrom().item(0) : store.deleteUserIndex(userId))
                        .map(indexes -> summary(erased, indexes)))
                .invoke(erasure -> {
                    erasures.increment();
                    erasedSessions.increment(erasure.sessions());
                    erasedCheckpoints.increment(erasure.checkpoints());
                    // the subject by its hash only: the log keeps no trace of whom the erasure was for
                    LOG.infof(
                            "Erased %d sessions (%d checkpoints, %d Redis keys) of %s",
                            erasure.sessions(),
                            erasure.checkpoints(),
                            erasure.redisKeys(),
                            userId != null
                                    ? "user sha256:" + Sha256.hex(userId).substring(0, 12)
                                    : named.size() + " named sessions");
                });
    }

    private record Erased(String sessionId, SessionService.Purged purged) {}

    private static Erasure summary(List<Erased> erased, int indexes) {
        List<Erased> found = erased.stream().filter(e -> e.purged().found()).toList();
        long checkpoints =
                erased.stream().mapToLong(e -> e.purged().checkpoints()).sum();
        int copies = (int) erased.stream().filter(e -> e.purged().redisCopy()).count();
        return new Erasure(
                found.size(),
                checkpoints,
                copies + indexes,
                found.stream().map(Erased::sessionId).sorted().toList());
    }
}
