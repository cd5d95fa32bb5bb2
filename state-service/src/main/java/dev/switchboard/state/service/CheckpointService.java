package dev.switchboard.state.service;

import dev.switchboard.state.Checkpoint;
import dev.switchboard.state.CheckpointNotFoundException;
import dev.switchboard.state.CheckpointPage;
import dev.switchboard.state.CheckpointSummary;
import dev.switchboard.state.SessionNotFoundException;
import dev.switchboard.state.config.StateConfig;
import dev.switchboard.state.repository.CheckpointRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reading a session's checkpoints: newest-first pages and single snapshots. */
@ApplicationScoped
public class CheckpointService {

    private final CheckpointRepository repository;
    private final StateConfig config;

    /** Wires the repository. */
    public CheckpointService(CheckpointRepository repository, StateConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /**
     * One page of checkpoints, newest first.
     *
     * @param limit  page size, or {@code null} for the configured default
     * @param before checkpoint id the page starts below (the previous page's {@code next}), or {@code null}
     * @throws CheckpointNotFoundException (as failure) when {@code before} is unknown
     * @throws SessionNotFoundException (as failure) when the session has no checkpoints at all
     */
    public Uni<CheckpointPage> listCheckpoints(String sessionId, Integer limit, String before) {
        int size = limit != null ? limit : config.defaultPageSize();
        Uni<Long> beforeVersion = before == null
                ? Uni.createFrom().nullItem()
                : repository
                        .findCheckpointVersion(sessionId, before)
                        .onItem()
                        .ifNull()
                        .failWith(() -> new CheckpointNotFoundException(sessionId, before));
        return beforeVersion
                .chain(version -> repository.listCheckpoints(sessionId, version, size + 1))
                .map(rows -> {
                    if (rows.isEmpty() && before == null) {
                        throw new SessionNotFoundException(sessionId);
                    }
                    boolean more = rows.size() > size;
                    List<CheckpointSummary> page = more ? rows.subList(0, size) : rows;
                    return new CheckpointPage(
                            sessionId, page, more ? page.getLast().checkpointId() : null);
                });
    }

    /**
     * @return the checkpoint with its full session (replayed from the newest snapshot at or below it and the deltas
     *     after)
     * @throws CheckpointNotFoundException (as failure) when the session has no such checkpoint
     */
    public Uni<Checkpoint> findCheckpoint(String sessionId, String checkpointId) {
        return repository
                .findCheckpoint(sessionId, checkpointId)
                .onItem()
                .ifNull()
                .failWith(() -> new CheckpointNotFoundException(sessionId, checkpointId));
    }
}
