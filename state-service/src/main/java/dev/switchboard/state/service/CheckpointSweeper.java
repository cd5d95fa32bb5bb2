package dev.switchboard.state.service;

import dev.switchboard.state.config.StateConfig;
import dev.switchboard.state.repository.CheckpointRepository;
import dev.switchboard.state.repository.CheckpointRepository.Swept;
import dev.switchboard.state.repository.CheckpointRepository.SweptSession;
import dev.switchboard.state.store.SessionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Checkpoint retention: deletes the sessions whose last write is older than {@link StateConfig#checkpointRetention()}
 * (their PostgreSQL rows and Redis keys), and the versions of each session below its newest
 * {@link StateConfig#checkpointKeepLast()} (keeping the checkpoints forks were made from). Runs every
 * {@link StateConfig#checkpointSweepInterval()} on every replica; each transaction claims up to
 * {@link StateConfig#checkpointSweepBatch()} sessions with {@code SKIP LOCKED}, so replicas share the work and never
 * sweep the same session at once. Counts {@code switchboard_checkpoints_swept_total} and
 * {@code switchboard_checkpoint_bytes_swept_total}, by {@code reason} ({@code expired}, {@code keep_last}).
 */
@ApplicationScoped
@Startup
public class CheckpointSweeper {

    private static final Logger LOG = Logger.getLogger(CheckpointSweeper.class);

    /** Transactions one sweep runs at most per kind, so a sweep ends even when sessions keep coming. */
    private static final int MAX_BATCHES = 100;

    private final CheckpointRepository repository;
    private final SessionStore store;
    private final StateConfig config;
    private final MeterRegistry registry;

    /** Wires the repository, the Redis store and the metrics; warns when Redis would outlive the retention. */
    public CheckpointSweeper(
            CheckpointRepository repository, SessionStore store, StateConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.store = store;
        this.config = config;
        this.registry = registry;
        for (String reason : List.of("expired", "keep_last")) {
            rows(reason);
            bytes(reason);
        }
        if (Duration.ofSeconds(config.ttl()).compareTo(config.checkpointRetention()) > 0) {
            LOG.warnf(
                    "REDIS_TTL (%d s) is longer than CHECKPOINT_RETENTION (%s): a session is deleted by retention"
                            + " while its Redis copy could still live; the sweeper deletes that copy too",
                    config.ttl(), config.checkpointRetention());
        }
    }

    /** The schedule: one {@link #sweep()}; a failure is logged and the next run tries again. */
    @Scheduled(every = "${state.checkpoint-sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledSweep() {
        return sweep().onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf(e, "Checkpoint sweep failed");
                    return null;
                })
                .replaceWithVoid();
    }

    /**
     * Sweeps once with the configured retention, keep-last and batch size.
     *
     * @return what this call deleted
     */
    public Uni<SweepResult> sweep() {
        return sweep(config.checkpointKeepLast(), config.checkpointSweepBatch());
    }

    /**
     * Sweeps once: first the expired sessions (whole, in PostgreSQL and Redis), then the versions beyond
     * {@code keepLast}, each in transactions of up to {@code batch} sessions until a transaction claims fewer.
     *
     * @param keepLast versions kept per session (at least 1)
     * @param batch    sessions per transaction
     * @return what this call deleted
     */
    public Uni<SweepResult> sweep(int keepLast, int batch) {
        Duration retention = config.checkpointRetention();
        return batches(() -> repository.deleteExpiredSessions(retention, batch), "expired", batch)
                .call(expired -> Multi.createFrom()
                        .iterable(expired.sessions())
                        .onItem()
                        .transformToUniAndMerge(this::expireCopy)
                        .collect()
                        .last())
                .chain(expired -> batches(() -> repository.pruneSessions(keepLast, batch), "keep_last", batch)
                        .map(pruned -> new SweepResult(
                                expired.sessions().stream()
                                        .map(SweptSession::sessionId)
                                        .toList(),
                                expired.rows(),
                                expired.bytes(),
                                pruned.sessions().stream()
                                        .map(SweptSession::sessionId)
                                        .toList(),
                                pruned.rows(),
                                pruned.bytes())))
                .invoke(result -> {
                    if (result.expiredRows() + result.prunedRows() > 0) {
                        LOG.infof(
                                "Swept %d expired sessions (%d checkpoints, %d bytes) and %d checkpoints"
                                        + " (%d bytes) beyond the newest %d of %d sessions",
                                result.expiredSessions().size(),
                                result.expiredRows(),
                                result.expiredBytes(),
                                result.prunedRows(),
                                result.prunedBytes(),
                                keepLast,
                                result.prunedSessions().size());
                    }
                });
    }

    /**
     * What one sweep deleted.
     *
     * @param expiredSessions sessions deleted whole because their last write is older than the retention
     * @param expiredRows     their checkpoint rows
     * @param expiredBytes    those rows' stored bytes
     * @param prunedSessions  sessions that lost versions beyond keep-last
     * @param prunedRows      checkpoint rows removed from them
     * @param prunedBytes     those rows' stored bytes
     */
    public record SweepResult(
            List<String> expiredSessions,
            long expiredRows,
            long expiredBytes,
            List<String> prunedSessions,
            long prunedRows,
            long prunedBytes) {}

    /** Runs transactions until one claims fewer than {@code batch} sessions (at most {@link #MAX_BATCHES}). */
    private Uni<Swept> batches(Supplier<Uni<Swept>> transaction, String reason, int batch) {
        return Multi.createBy()
                .repeating()
                .<Swept>uni(transaction::get)
                .whilst(swept -> swept.claimed() >= batch)
                .select()
                .first(MAX_BATCHES)
                .onItem()
                .invoke(swept -> {
                    rows(reason).increment(swept.rows());
                    bytes(reason).increment(swept.bytes());
                })
                .collect()
                .in(SweptTotals::new, SweptTotals::add)
                .map(SweptTotals::toSwept);
    }

    /** Drops the Redis copy and user-index entries of a session retention deleted; a Redis failure is only logged. */
    private Uni<Void> expireCopy(SweptSession session) {
        return store.deleteSession(session.sessionId(), session.userIds())
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf(e, "Could not delete the Redis copy of expired session %s", session.sessionId());
                    return null;
                });
    }

    private Counter rows(String reason) {
        return Counter.builder("switchboard.checkpoints.swept")
                .description("Checkpoint rows deleted by the retention sweeper")
                .tag("reason", reason)
                .register(registry);
    }

    private Counter bytes(String reason) {
        return Counter.builder("switchboard.checkpoint.bytes.swept")
                .description("Stored bytes (sum of pg_column_size) of the checkpoint rows the sweeper deleted")
                .tag("reason", reason)
                .register(registry);
    }

    /** Sum of a sweep's transactions of one kind. */
    private static final class SweptTotals {
        private final List<SweptSession> sessions = new ArrayList<>();
        private int claimed;
        private long rows;
        private long bytes;

        void add(Swept swept) {
            sessions.addAll(swept.sessions());
            claimed += swept.claimed();
            rows += swept.rows();
            bytes += swept.bytes();
        }

        Swept toSwept() {
            return new Swept(claimed, sessions, rows, bytes);
        }
    }
}
