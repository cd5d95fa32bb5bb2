package dev.switchboard.state.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.common.logging.ThrottledWarning;
import dev.switchboard.state.Checkpoint;
import dev.switchboard.state.CheckpointNotFoundException;
import dev.switchboard.state.DependencyUnavailableException;
import dev.switchboard.state.ForkRequest;
import dev.switchboard.state.Message;
import dev.switchboard.state.NewMessage;
import dev.switchboard.state.NewSession;
import dev.switchboard.state.NewTurn;
import dev.switchboard.state.Session;
import dev.switchboard.state.SessionExistsException;
import dev.switchboard.state.SessionNotFoundException;
import dev.switchboard.state.SessionPatch;
import dev.switchboard.state.SessionSummary;
import dev.switchboard.state.SessionUserMismatchException;
import dev.switchboard.state.StaleFencingTokenException;
import dev.switchboard.state.Turn;
import dev.switchboard.state.TurnResult;
import dev.switchboard.state.UserSessions;
import dev.switchboard.state.VersionConflictException;
import dev.switchboard.state.WriteContentionException;
import dev.switchboard.state.config.StateConfig;
import dev.switchboard.state.repository.CheckpointConflictException;
import dev.switchboard.state.repository.CheckpointDelta;
import dev.switchboard.state.repository.CheckpointRepository;
import dev.switchboard.state.store.ErasureFences;
import dev.switchboard.state.store.SessionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The session rules. Every write computes version v+1 from the current session and inserts it as a
 * checkpoint in PostgreSQL, the serialisation point: a unique violation means another writer was first.
 * Only after that insert the Redis copy is refreshed (never replacing a newer copy). A session missing from
 * Redis is rebuilt from its latest checkpoint. A fenced write ({@code X-Fencing-Token}) is checked against the
 * session's highest recorded token and, right before its insert, against the session's lease ({@link LeaseFence}).
 *
 *
 * <p>Redis is a cache: when it is unreachable or does not answer within {@code REDIS_TIMEOUT}, reads (a session, a
 * user's sessions, the load before a write) come from PostgreSQL instead, counted in
 * {@code switchboard_state_redis_fallbacks_total{operation}} and logged at WARN at most every 10 s; nothing is cached
 * until Redis answers again. Writes need only PostgreSQL; their Redis copy is refreshed when Redis answers.
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);

    private final SessionStore store;
    private final ErasureFences fences;
    private final CheckpointRepository repository;
    private final SessionWriteQueue queue;
    private final StateConfig config;
    private final MeterRegistry registry;
    private final LeaseFence leaseFence;
    private final Counter recoveries;
    private final Counter fencedWrites;
    private final Counter staleForSession;
    private final ThrottledWarning redisFallbackWarning = new ThrottledWarning(LOG, Duration.ofSeconds(10));
    private final ThrottledWarning redisCacheWarning = new ThrottledWarning(LOG, Duration.ofSeconds(10));

    /** Wires the store, the repository, the lease fence and the metrics. */
    public SessionService(
            SessionStore store,
            ErasureFences fences,
            CheckpointRepository repository,
            SessionWriteQueue queue,
            StateConfig config,
            MeterRegistry registry,
            LeaseFence leaseFence) {
        this.store = store;
        this.fences = fences;
        this.repository = repository;
        this.queue = queue;
        this.config = config;
        this.registry = registry;
        this.fencedWrites = Counter.builder("switchboard.state.erasure.fenced.writes")
                .description("Writes refused because their fencing token predates an erasure of the session or user")
                .register(registry);
        this.leaseFence = leaseFence;
        this.recoveries = Counter.builder("switchboard.state.recoveries")
                .description("Sessions rebuilt from their latest PostgreSQL checkpoint after a Redis miss")
                .register(registry);
        this.staleForSession = LeaseFence.refusals(registry, "session");
    }

    /**
     * Outcome of {@link #createSession}.
     *
     * @param session the new or existing session
     * @param created {@code true} when it was created by this call
     */
    public record SessionWrite(Session session, boolean created) {}

    /** A loaded session, whether it came from PostgreSQL, and whether this load rebuilt it. */
    private record Current(Session session, boolean authoritative, boolean recovered) {}

    /**
     * Loads or creates a session. With an existing id and the same (or no) user it returns the session;
     * {@link SessionUserMismatchException} when it belongs to another user.
     *
     * @param fencingToken the writer's {@code X-Fencing-Token}, or {@code null}; a new session stores it, and a token
     *                     older than an erasure of the session or its user is refused
     * @throws StaleFencingTokenException (as failure) when the session would be created with a token that predates an
     *                                    erasure of it or its user
     */
    public Uni<SessionWrite> createSession(NewSession request, Long fencingToken) {
        NewSession body = request == null ? new NewSession(null, null, null, null) : request;
        if (body.sessionId() == null) {
            return insertNewSession(newId(), body, fencingToken);
        }
        String id = body.sessionId();
        return queue.enqueue(
                id,
                () -> findCurrent(id)
                        .chain(current -> current != null
                                ? Uni.createFrom().item(existing(current, body))
                                : insertNewSession(id, body, fencingToken)
                                        .onFailure(CheckpointConflictException.class)
                                        .recoverWithUni(
                                                () -> loadAuthoritative(id).map(latest -> existing(latest, body)))));
    }

    /**
     * @return the session (Redis copy, or rebuilt from its latest checkpoint with {@code recovered=true})
     * @throws SessionNotFoundException (as failure) when neither exists
     */
    public Uni<Session> findSession(String sessionId) {
        return loadCurrent(sessionId).map(SessionService::visible);
    }

    /**
     * Applies JSON merge patches to state and metadata as version {@code expectedVersion + 1}.
     *
     * @param fencingToken the writer's {@code X-Fencing-Token}, or {@code null} (accepted; the stored token stays)
     * @throws StaleFencingTokenException (as failure) when {@code fencingToken} is lower than the stored one or than
     *                                    the session's newest lease ({@link LeaseFence})
     * @throws VersionConflictException (as failure) when the session is not at {@code expectedVersion}
     */
    public Uni<Session> patchSession(String sessionId, long expectedVersion, SessionPatch patch, Long fencingToken) {
        SessionPatch body = patch == null ? new SessionPatch(null, null) : patch;
        return queue.enqueue(
                sessionId,
                () -> loadCurrent(sessionId)
                        .map(current -> fenced(current, fencingToken))
                        .chain(current -> atVersion(current, expectedVersion))
                        .map(current -> fenced(current, fencingToken))
                        .call(() -> leaseFence.check(sessionId, fencingToken))
                        .chain(current -> {
                            Session session = current.session();
                            Instant now = now();
                            Session next = successor(
                                    session,
                                    session.messages(),
                                    session.turns(),
                                    JsonMergePatch.apply(session.state(), body.state()),
                                    JsonMergePatch.apply(session.metadata(), body.metadata()),
                                    newId(),
                                    now,
                                    fencingToken);
                            return commit(
                                            next,
                                            session.lastCheckpointId(),
                                            checkpointMetadata("update"),
                                            CheckpointDelta.between(session, next, body.state(), body.metadata()),
                                            fencingToken)
                                    .map(saved -> saved.withRecovered(current.recovered()))
                                    .onFailure(CheckpointConflictException.class)
                                    .recoverWithUni(() -> loadAuthoritative(sessionId)
                                            .onItem()
                                            .transformToUni(latest -> {
                                                fenced(latest, fencingToken);
                                                return Uni.createFrom()
                                                        .<Session>failure(new VersionConflictException(
                                                                sessionId,
                                                                expectedVersion,
                                                                latest.session().version()));
                                            }));
                        }));
    }

    /**
     * Refuses a write whose fencing token is lower than the session's. Tokens only grow with versions, so a
     * stale verdict from a (possibly older) Redis copy is also true of PostgreSQL; a pass from a Redis copy is
     * re-checked when the checkpoint insert loses to a concurrent writer.
     */
    private Current fenced(Current current, Long fencingToken) {
        Session session = current.session();
        if (session.isStale(fencingToken)) {
            staleForSession.increment();
            LOG.infof(
                    "Refused write to session %s with stale fencing token %d (session has %d)",
                    session.sessionId(), fencingToken, session.fencingToken());
            throw new StaleFencingTokenException(session.sessionId(), fencingToken, session.fencingToken());
        }
        return current;
    }

    /**
     * Appends a turn (messages, turn record, state and metadata patches) as one new version and checkpoint.
     * A turn id the session already holds returns the recorded result without writing. Without
     * {@code expectedVersion}, a lost version race reloads and retries (bounded by
     * {@link StateConfig#turnRetryAttempts()}, then {@link WriteContentionException}).
     *
     * @param expectedVersion the If-Match version, or {@code null}
     * @param fencingToken    the writer's {@code X-Fencing-Token}, or {@code null} (accepted; the stored token
     *                        stays); checked against the session and then against the session's newest lease
     *                        ({@link LeaseFence}) on every attempt, after the turn-id replay check
     * @throws StaleFencingTokenException (as failure) when {@code fencingToken} is lower than the stored one or than
     *                                    the session's newest lease
     * @throws VersionConflictException (as failure) when {@code expectedVersion} is not current
     */
    public Uni<TurnResult> appendTurn(String sessionId, Long expectedVersion, NewTurn turn, Long fencingToken) {
        String turnId = turn.turnId() != null ? turn.turnId() : newId();
        return timed(queue.enqueue(
                sessionId,
                () -> loadCurrent(sessionId, false)
                        .chain(current ->
                                attemptTurn(sessionId, expectedVersion, fencingToken, turnId, turn, current, 1))));
    }

    /**
     * Starts a session with its first turn, in one write: version 1 holds the turn (its messages, turn record and
     * state patch), owned by {@code turn.userId()}; one checkpoint, no empty version before it. What a caller that
     * knows the session is new would otherwise do in two calls (load-or-create, then append). Should the session
     * exist already, nothing is written: the turn's id recorded in it returns that result (a retried start), else
     * {@link VersionConflictException} tells the caller to load the session and decide again. Two concurrent starts
     * of one id meet at the checkpoint's unique version: one writes, the other gets one of those answers.
     *
     * @param fencingToken the writer's {@code X-Fencing-Token}, or {@code null}; stored as the session's token
     * @return the new session (201) or, for a turn id it already holds, the recorded result (200)
     * @throws StaleFencingTokenException (as failure) when {@code fencingToken} is lower than the session's newest
     *                                    lease ({@link LeaseFence})
     * @throws VersionConflictException (as failure) when the session exists without this turn (412, ETag = its
     *                                  version)
     * @throws SessionUserMismatchException (as failure) when it exists for another user (409)
     */
    public Uni<TurnResult> startSessionWithTurn(String sessionId, NewTurn turn, Long fencingToken) {
        String turnId = turn.turnId() != null ? turn.turnId() : newId();
        return timed(queue.enqueue(
                sessionId,
                () -> findCurrent(sessionId, false)
                        .chain(current -> current != null
                                ? Uni.createFrom().item(() -> alreadyStarted(current, turn.userId(), turnId))
                                : insertFirstTurn(sessionId, turnId, turn, fencingToken))));
    }

    private Uni<TurnResult> insertFirstTurn(String sessionId, String turnId, NewTurn turn, Long fencingToken) {
        Instant now = now();
        Session none = new Session(
                sessionId,
                turn.userId(),
                0,
                List.of(),
                List.of(),
                JsonMergePatch.apply(null, null),
                JsonMergePatch.apply(null, null),
                now,
                now,
                null,
                false,
                null);
        Session next = withTurn(none, turnId, turn, fencingToken);
        ObjectNode metadata = turnCheckpointMetadata(turnId, next, turn).put("created", true);
        return leaseFence
                .check(sessionId, fencingToken)
                .chain(() -> commitWithJson(next, null, metadata, null, fencingToken))
                .invoke(() -> LOG.infof("Created session %s with turn %s", sessionId, turnId))
                .map(written ->
                        new TurnResult(written.session(), written.session().lastCheckpointId(), true, written.json()))
                .onFailure(CheckpointConflictException.class)
                .recoverWithUni(() ->
                        loadAuthoritative(sessionId).map(latest -> alreadyStarted(latest, turn.userId(), turnId)));
    }

    /** A start that found the session: the recorded result of this turn id, else a conflict. */
    private TurnResult alreadyStarted(Current current, String userId, String turnId) {
        Session session = current.session();
        if (userId != null && session.userId() != null && !session.userId().equals(userId)) {
            throw new SessionUserMismatchException(session.sessionId());
        }
        Optional<Turn> recorded = session.findTurn(turnId);
        if (recorded.isPresent()) {
            LOG.infof("Turn %s of session %s already recorded; returning it", turnId, session.sessionId());
            return new TurnResult(visible(current), recorded.get().checkpointId(), false);
        }
        throw new VersionConflictException(session.sessionId(), 0, session.version());
    }

    /** Records {@code switchboard.state.turn.append} for a turn write, whatever its outcome. */
    private Uni<TurnResult> timed(Uni<TurnResult> write) {
        Timer.Sample sample = Timer.start(registry);
        return write.onItemOrFailure()
                .invoke((result, failure) -> sample.stop(Timer.builder("switchboard.state.turn.append")
                        .description("Time to append a turn (load, checkpoint insert, Redis copy)")
                        .tag(
                                "result",
                                failure != null
                                        ? failure.getClass().getSimpleName()
                                        : result.created() ? "created" : "replayed")
                        .register(registry)));
    }

    private static ObjectNode turnCheckpointMetadata(String turnId, Session next, NewTurn turn) {
        ObjectNode metadata = checkpointMetadata("turn")
                .put("turn_id", turnId)
                .put("outcome", next.turns().getLast().outcome());
        if (turn.agent() != null) {
            metadata.put("agent", turn.agent());
        }
        return metadata;
    }

    private Uni<TurnResult> attemptTurn(
            String sessionId,
            Long expectedVersion,
            Long fencingToken,
            String turnId,
            NewTurn turn,
            Current current,
            int attempt) {
        Session session = current.session();
        Optional<Turn> recorded = session.findTurn(turnId);
        if (recorded.isPresent()) {
            LOG.infof("Turn %s of session %s already recorded; returning it", turnId, sessionId);
            return Uni.createFrom()
                    .item(new TurnResult(visible(current), recorded.get().checkpointId(), false));
        }
        if (session.isStale(fencingToken)) {
            staleForSession.increment();
            LOG.infof(
                    "Refused turn %s of session %s: stale fencing token %d (session has %d)",
                    turnId, sessionId, fencingToken, session.fencingToken());
            return Uni.createFrom()
                    .failure(new StaleFencingTokenException(sessionId, fencingToken, session.fencingToken()));
        }
        if (expectedVersion != null && session.version() != expectedVersion) {
            if (!current.authoritative()) {
                return loadAuthoritative(sessionId)
                        .chain(latest -> attemptTurn(
                                sessionId,
                                expectedVersion,
                                fencingToken,
                                turnId,
                                turn,
                                new Current(latest.session(), true, current.recovered()),
                                attempt));
            }
            return Uni.createFrom()
                    .failure(new VersionConflictException(sessionId, expectedVersion, session.version()));
        }
        // last check before the insert, repeated on every attempt: a lease taken over since the writer's, even by a
        // holder that has not written yet, refuses the write
        return leaseFence
                .check(sessionId, fencingToken)
                .chain(() -> insertTurn(sessionId, expectedVersion, fencingToken, turnId, turn, current, attempt));
    }

    /** The insert of {@link #attemptTurn}, once the checks passed; a lost version race retries the attempt. */
    private Uni<TurnResult> insertTurn(
            String sessionId,
            Long expectedVersion,
            Long fencingToken,
            String turnId,
            NewTurn turn,
            Current current,
            int attempt) {
        Session session = current.session();
        Session next = withTurn(session, turnId, turn, fencingToken);
        ObjectNode metadata = turnCheckpointMetadata(turnId, next, turn);
        return commitWithJson(
                        next,
                        session.lastCheckpointId(),
                        metadata,
                        CheckpointDelta.between(session, next, turn.statePatch(), null),
                        fencingToken)
                .map(written -> current.recovered()
                        ? new TurnResult(
                                written.session().withRecovered(true),
                                written.session().lastCheckpointId(),
                                true)
                        : new TurnResult(written.session(), written.session().lastCheckpointId(), true, written.json()))
                .onFailure(CheckpointConflictException.class)
                .recoverWithUni(() -> {
                    if (attempt >= config.turnRetryAttempts()) {
                        LOG.warnf("Turn %s of session %s lost the version race %d times", turnId, sessionId, attempt);
                        return Uni.createFrom().failure(new WriteContentionException(sessionId));
                    }
                    LOG.debugf("Turn %s of session %s lost version %d; retrying", turnId, sessionId, next.version());
                    return pause(attempt)
                            .chain(() -> loadAuthoritative(sessionId))
                            .chain(latest -> attemptTurn(
                                    sessionId,
                                    expectedVersion,
                                    fencingToken,
                                    turnId,
                                    turn,
                                    new Current(latest.session(), true, current.recovered()),
                                    attempt + 1));
                });
    }

    /**
     * Deletes a session: its checkpoint rows, its Redis copy and its user-index entries.
     *
     * @throws SessionNotFoundException (as failure) when there was nothing to delete
     */
    public Uni<Void> deleteSession(String sessionId) {
        return queue.enqueue(
                        sessionId,
                        () -> purge(sessionId).map(purged -> {
                            if (!purged.found()) {
                                throw new SessionNotFoundException(sessionId);
                            }
                            LOG.infof("Deleted session %s (%d checkpoints)", sessionId, purged.checkpoints());
                            return purged;
                        }))
                .replaceWithVoid();
    }

    /**
     * Erases a session, after the writes to it queued on this replica: as {@link #deleteSession}, without the 404.
     *
     * @return what was removed (nothing for an unknown session)
     */
    public Uni<Purged> eraseSession(String sessionId) {
        return queue.enqueue(sessionId, () -> purge(sessionId));
    }

    /**
     * What deleting one session removed.
     *
     * @param checkpoints checkpoint rows deleted
     * @param redisCopy   whether a Redis copy was deleted
     */
    public record Purged(int checkpoints, boolean redisCopy) {
        /** @return whether there was anything to delete */
        public boolean found() {
            return checkpoints > 0 || redisCopy;
        }
    }

    /** Deletes a session's rows, its Redis copy and its user-index entries (the caller holds its write queue). */
    private Uni<Purged> purge(String sessionId) {
        return store.findSession(sessionId)
                .chain(cached -> repository.deleteCheckpoints(sessionId).chain(deleted -> {
                    Set<String> users = new LinkedHashSet<>(deleted.userIds());
                    if (cached != null && cached.userId() != null) {
                        users.add(cached.userId());
                    }
                    return store.deleteSession(sessionId, users).map(hadCopy -> new Purged(deleted.rows(), hadCopy));
                }));
    }

    /**
     * Lists a user's sessions, most recently updated first: ids from the Redis index, or from PostgreSQL
     * when the index is empty or gone (sessions found that way are re-cached and re-indexed).
     */
    public Uni<UserSessions> listUserSessions(String userId) {
        return store.findUserSessionIds(userId)
                .map(ids -> new UserIndex(List.copyOf(ids), true))
                .onFailure(DependencyUnavailableException::isRedis)
                .recoverWithItem(failure -> {
                    redisFallback("list", userId, failure);
                    return new UserIndex(List.of(), false);
                })
                .chain(index -> {
                    if (!index.ids().isEmpty()) {
                        return Uni.createFrom().item(index);
                    }
                    return repository.findSessionIdsForUser(userId).map(found -> {
                        if (!found.isEmpty() && index.redisAnswered()) {
                            LOG.infof(
                                    "User index of %s missing; rebuilt from the checkpoints of %d sessions",
                                    userId, found.size());
                        }
                        return new UserIndex(found, index.redisAnswered());
                    });
                })
                .chain(index -> Multi.createFrom()
                        .iterable(index.ids())
                        .onItem()
                        .transformToUni(
                                id -> index.redisAnswered() ? summarise(userId, id) : summariseFromDatabase(userId, id))
                        .merge(4)
                        .collect()
                        .asList())
                .map(found -> found.stream()
                        .flatMap(Optional::stream)
                        .sorted(Comparator.comparing(SessionSummary::updatedAt)
                                .reversed()
                                .thenComparing(SessionSummary::sessionId))
                        .toList())
                .map(sessions -> new UserSessions(userId, sessions));
    }

    /**
     * Creates a new session whose history, state and metadata are the snapshot of a past checkpoint.
     *
     * @throws CheckpointNotFoundException (as failure) for an unknown checkpoint
     * @throws SessionExistsException (as failure) when the requested new id is taken
     */
    public Uni<Session> forkSession(String sourceSessionId, String checkpointId, ForkRequest request) {
        String newId = request != null && request.sessionId() != null ? request.sessionId() : newId();
        return repository
                .findCheckpoint(sourceSessionId, checkpointId)
                .onItem()
                .ifNull()
                .failWith(() -> new CheckpointNotFoundException(sourceSessionId, checkpointId))
                .chain(source -> {
                    Session snapshot = source.checkpoint();
                    Instant now = now();
                    Session forked = new Session(
                            newId,
                            snapshot.userId(),
                            1,
                            snapshot.messages(),
                            snapshot.turns(),
                            snapshot.state(),
                            snapshot.metadata(),
                            now,
                            now,
                            newId(),
                            false,
                            null);
                    ObjectNode metadata = checkpointMetadata("fork");
                    // thread_id: the session id under the name the checkpoint API gives it
                    metadata.putObject("forked_from")
                            .put("thread_id", sourceSessionId)
                            .put("checkpoint_id", checkpointId)
                            .put("version", source.version());
                    return commit(forked, null, metadata, null, null)
                            .onFailure(CheckpointConflictException.class)
                            .transform(e -> new SessionExistsException(newId))
                            .invoke(() -> LOG.infof(
                                    "Forked session %s from session %s checkpoint %s",
                                    newId, sourceSessionId, checkpointId));
                });
    }

    /** A user's session ids, and whether Redis answered for them (else they come from PostgreSQL). */
    private record UserIndex(List<String> ids, boolean redisAnswered) {}

    /** While Redis is unavailable: the summary from the latest checkpoint, without touching Redis at all. */
    private Uni<Optional<SessionSummary>> summariseFromDatabase(String userId, String sessionId) {
        return repository
                .findLatestCheckpoint(sessionId)
                .map(checkpoint -> checkpoint == null
                                || !userId.equals(checkpoint.checkpoint().userId())
                        ? Optional.<SessionSummary>empty()
                        : Optional.of(SessionSummary.of(checkpoint.checkpoint())));
    }

    private Uni<Optional<SessionSummary>> summarise(String userId, String sessionId) {
        return findCurrent(sessionId).chain(current -> {
            if (current == null || !userId.equals(current.session().userId())) {
                return store.removeFromUserIndex(userId, sessionId).replaceWith(Optional.<SessionSummary>empty());
            }
            return Uni.createFrom().item(Optional.of(SessionSummary.of(current.session())));
        });
    }

    private SessionWrite existing(Current current, NewSession request) {
        String owner = current.session().userId();
        if (request.userId() != null && owner != null && !owner.equals(request.userId())) {
            throw new SessionUserMismatchException(current.session().sessionId());
        }
        return new SessionWrite(visible(current), false);
    }

    private Uni<SessionWrite> insertNewSession(String sessionId, NewSession request, Long fencingToken) {
        Instant now = now();
        Session session = new Session(
                sessionId,
                request.userId(),
                1,
                List.of(),
                List.of(),
                JsonMergePatch.apply(null, request.state()),
                JsonMergePatch.apply(null, request.metadata()),
                now,
                now,
                newId(),
                false,
                fencingToken);
        return commit(session, null, checkpointMetadata("create"), null, fencingToken)
                .invoke(() -> LOG.infof("Created session %s", sessionId))
                .map(saved -> new SessionWrite(saved, true));
    }

    /**
     * Inserts the checkpoint of {@code next} (fails with a conflict when its version is taken), then caches it.
     *
     * @param delta        what {@code next} adds to the session at {@code parentId}, or {@code null} for a new session
     * @param fencingToken the write's {@code X-Fencing-Token}, or {@code null}
     */
    private Uni<Session> commit(
            Session next, String parentId, ObjectNode metadata, CheckpointDelta delta, Long fencingToken) {
        return commitWithJson(next, parentId, metadata, delta, fencingToken).map(Written::session);
    }

    /** A session as written, with the JSON its checkpoint and Redis copy got ({@code recovered=false}). */
    private record Written(Session session, String json) {}

    /**
     * {@link #commit}, keeping the session's JSON: serialised once per write, for Redis, the reply and, when the
     * version is stored as a snapshot, PostgreSQL (otherwise PostgreSQL gets only the delta).
     */
    private Uni<Written> commitWithJson(
            Session next, String parentId, ObjectNode metadata, CheckpointDelta delta, Long fencingToken) {
        Checkpoint checkpoint = new Checkpoint(
                next.sessionId(), next.lastCheckpointId(), parentId, next.version(), next, metadata, next.updatedAt());
        String json = store.serialise(next);
        return repository
                .insertCheckpoint(checkpoint, json, delta)
                .call(base -> base
                        ? unlessErased(next, fencingToken)
                        : Uni.createFrom().voidItem())
                .call(() -> cache(next, json))
                .replaceWith(new Written(next, json));
    }

    /**
     * After a write that started a session's rows (a new session, or a delta whose parent an erasure or the sweeper
     * deleted meanwhile): when the session or its user was erased after the writer's token was issued, the write is
     * taken back and refused. Checked after the insert, because an erasure raises its fences before it looks for
     * sessions: either the erasure finds this write's rows, or this check finds the erasure's fence.
     */
    private Uni<Void> unlessErased(Session written, Long fencingToken) {
        return fences.blocks(written.sessionId(), written.userId(), fencingToken)
                .chain(blocked -> {
                    if (!blocked) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.infof(
                            "Refused write of session %s version %d: fencing token %d predates an erasure",
                            written.sessionId(), written.version(), fencingToken);
                    fencedWrites.increment();
                    return purge(written.sessionId())
                            .chain(purged -> Uni.createFrom()
                                    .<Void>failure(new StaleFencingTokenException(written.sessionId(), fencingToken)));
                });
    }

    /**
     * Refreshes the Redis copy; a Redis failure does not fail the (already durable) write, but the possibly
     * stale copy is evicted so the next read rebuilds from PostgreSQL.
     */
    private Uni<Void> cache(Session session) {
        return cache(session, null);
    }

    /** {@link #cache(Session)} with the session's JSON already serialised (or {@code null}). */
    private Uni<Void> cache(Session session, String json) {
        return store.saveSession(session, json).replaceWithVoid().onFailure().recoverWithUni(e -> {
            if (DependencyUnavailableException.isRedis(e)) {
                // an outage fails every write's copy: one line now and then, not a stack trace per write
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                redisCacheWarning.warn(
                        "Could not cache session %s version %d, Redis unavailable (%s)",
                        session.sessionId(), session.version(), cause.getMessage());
            } else {
                LOG.warnf(e, "Could not cache session %s version %d", session.sessionId(), session.version());
            }
            return store.evictSession(session.sessionId()).onFailure().recoverWithNull();
        });
    }

    private Uni<Current> loadCurrent(String sessionId) {
        return loadCurrent(sessionId, true);
    }

    /** @param forRead {@code false} for a load followed by a write (the write slides the user index's TTL) */
    private Uni<Current> loadCurrent(String sessionId, boolean forRead) {
        return findCurrent(sessionId, forRead)
                .onItem()
                .ifNull()
                .failWith(() -> new SessionNotFoundException(sessionId));
    }

    /** Redis copy, else rebuilt from the latest checkpoint; {@code null} item when neither exists. */
    private Uni<Current> findCurrent(String sessionId) {
        return findCurrent(sessionId, true);
    }

    private Uni<Current> findCurrent(String sessionId, boolean forRead) {
        // recover() caches what it rebuilt but never fails for Redis, so only the copy's read can land here
        return store.findSession(sessionId, forRead)
                .chain(cached ->
                        cached != null ? Uni.createFrom().item(new Current(cached, false, false)) : recover(sessionId))
                .onFailure(DependencyUnavailableException::isRedis)
                .recoverWithUni(failure -> readWithoutRedis(sessionId, failure));
    }

    /**
     * Redis failed or timed out: the latest checkpoint is the session (PostgreSQL is the source of truth). Nothing is
     * cached, since Redis is failing; the next read after it answers again finds the copy it holds, or rebuilds it.
     *
     * @return the session, or a null item when the session has no checkpoint
     */
    private Uni<Current> readWithoutRedis(String sessionId, Throwable failure) {
        redisFallback("read", sessionId, failure);
        return repository
                .findLatestCheckpoint(sessionId)
                .map(checkpoint -> checkpoint == null ? null : new Current(checkpoint.checkpoint(), true, false));
    }

    /** Counts and (rate-limited) logs a read that went to PostgreSQL because Redis failed. */
    private void redisFallback(String operation, String id, Throwable failure) {
        Counter.builder("switchboard.state.redis.fallbacks")
                .description("Reads answered from PostgreSQL because Redis was unreachable or too slow")
                .tag("operation", operation)
                .register(registry)
                .increment();
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        redisFallbackWarning.warn(
                "Redis unavailable (%s); reading from PostgreSQL instead (%s %s)", cause.getMessage(), operation, id);
    }

    private Uni<Current> recover(String sessionId) {
        return repository.findLatestCheckpoint(sessionId).chain(checkpoint -> {
            if (checkpoint == null) {
                return Uni.createFrom().nullItem();
            }
            Session session = checkpoint.checkpoint();
            return cache(session)
                    .invoke(() -> {
                        recoveries.increment();
                        LOG.infof(
                                "Recovered session %s from checkpoint %s (version %d)",
                                sessionId, checkpoint.checkpointId(), session.version());
                    })
                    .replaceWith(new Current(session, true, true));
        });
    }

    /** The latest checkpoint from PostgreSQL (the source of truth), repairing a stale Redis copy on the way. */
    private Uni<Current> loadAuthoritative(String sessionId) {
        return repository
                .findLatestCheckpoint(sessionId)
                .onItem()
                .ifNull()
                .failWith(() -> new SessionNotFoundException(sessionId))
                .call(checkpoint -> cache(checkpoint.checkpoint()))
                .map(checkpoint -> new Current(checkpoint.checkpoint(), true, false));
    }

    /** Passes when the session is at {@code expected}, double-checking PostgreSQL when Redis says otherwise. */
    private Uni<Current> atVersion(Current current, long expected) {
        if (current.session().version() == expected) {
            return Uni.createFrom().item(current);
        }
        Uni<Current> latest = current.authoritative()
                ? Uni.createFrom().item(current)
                : loadAuthoritative(current.session().sessionId());
        return latest.map(fresh -> {
            if (fresh.session().version() != expected) {
                throw new VersionConflictException(
                        fresh.session().sessionId(), expected, fresh.session().version());
            }
            return new Current(fresh.session(), true, current.recovered());
        });
    }

    private Session withTurn(Session session, String turnId, NewTurn turn, Long fencingToken) {
        Instant now = now();
        String checkpointId = newId();
        List<Message> messages = new ArrayList<>(session.messages() == null ? List.of() : session.messages());
        for (NewMessage message : turn.messages()) {
            boolean agentAuthored = "assistant".equals(message.role()) || "tool".equals(message.role());
            String agent = message.agent() != null ? message.agent() : agentAuthored ? turn.agent() : null;
            messages.add(new Message(
                    message.role(),
                    message.content(),
                    agent,
                    turnId,
                    now,
                    JsonMergePatch.apply(null, message.metadata())));
        }
        List<Turn> turns = new ArrayList<>(session.turns() == null ? List.of() : session.turns());
        String outcome = turn.outcome() == null ? "ok" : turn.outcome();
        // Turn metadata belongs to the turn (one per turn), not to the session: the session's own metadata
        // changes only through PATCH.
        turns.add(new Turn(
                turnId,
                turn.agent(),
                turn.routing(),
                outcome,
                turn.error(),
                checkpointId,
                now,
                JsonMergePatch.apply(null, turn.metadata())));
        return successor(
                session,
                messages,
                turns,
                JsonMergePatch.apply(session.state(), turn.statePatch()),
                session.metadata(),
                checkpointId,
                now,
                fencingToken);
    }

    private static Session successor(
            Session session,
            List<Message> messages,
            List<Turn> turns,
            ObjectNode state,
            ObjectNode metadata,
            String checkpointId,
            Instant now,
            Long fencingToken) {
        return new Session(
                session.sessionId(),
                session.userId(),
                session.version() + 1,
                messages,
                turns,
                state,
                metadata,
                session.createdAt(),
                now,
                checkpointId,
                false,
                session.nextFencingToken(fencingToken));
    }

    private static Session visible(Current current) {
        return current.session().withRecovered(current.recovered());
    }

    private Uni<Void> pause(int attempt) {
        long base = config.turnRetryBackoff().toMillis() * attempt;
        long jitter = ThreadLocalRandom.current()
                .nextLong(Math.max(1, config.turnRetryBackoff().toMillis()));
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(base + jitter));
    }

    private static ObjectNode checkpointMetadata(String source) {
        return JsonNodeFactory.instance.objectNode().put("source", source);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
