package dev.switchboard.supervisor.peers;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Guarded client of state-service, under its policy ({@link PeerPolicy},
 * {@code supervisor.fault-tolerance.state-service}). Reads and the idempotent load-or-create are retried; turn
 * appends are not (a conflicting append must be decided by the caller). Every call has a timeout (504
 * {@code dependency-timeout}) and a circuit breaker (503 {@code dependency-unavailable} while open); state-service's
 * 4xx (404 {@code session-not-found}, 409, 412 {@code version-conflict}) pass through as typed exceptions
 * ({@link StateExceptionMapper}) and never trip the breaker.
 */
@ApplicationScoped
public class StateClient {

    /** Peer name used in problem details and logs. */
    public static final String PEER = "state-service";
    /**
     * Name of the turn appends' circuit breaker ({@code CircuitBreakerMaintenance}); every guarded call has its own,
     * named {@code <peer>:<call>}.
     */
    public static final String APPEND_TURN_BREAKER = PEER + ":append-turn";

    private final StateRestClient rest;
    private final PeerPolicy.Call openSession;
    private final PeerPolicy.Call findSession;
    private final PeerPolicy.Call listUserSessions;
    private final PeerPolicy.Call appendTurn;
    private final PeerPolicy.Call startSession;
    private final PeerPolicy.Call erase;

    StateClient(@RestClient StateRestClient rest, FaultToleranceConfig config) {
        this.rest = rest;
        PeerPolicy policy = new PeerPolicy(PEER, config.stateService(), PeerProblems.rules(PEER));
        this.openSession = policy.repeatable("open-session");
        this.findSession = policy.repeatable("find-session");
        this.listUserSessions = policy.repeatable("list-user-sessions");
        this.appendTurn = policy.once("append-turn");
        // repeatable: the turn id makes a repeated start answer the recorded result instead of writing twice
        this.startSession = policy.repeatable("start-session");
        // repeatable: an erasure is idempotent (a repeat finds less or nothing)
        this.erase = policy.repeatable("erase");
    }

    /**
     * {@code POST /sessions}: loads the session or creates it (idempotent for a given id and user).
     *
     * @param fencingToken the token of the session lease this replica holds, or {@code null}; state-service refuses to
     *                     create the session with a token that predates an erasure of it or its user
     * @return the session; 409 {@code session-user-mismatch} when it belongs to another user,
     *         {@link StaleFencingTokenException} (409) when the token predates an erasure
     */
    public Uni<Session> openSession(String sessionId, String userId, Long fencingToken) {
        return openSession.run(() -> rest.openSession(fencingToken, new OpenSessionRequest(sessionId, userId)));
    }

    /**
     * {@code POST /erasures}: deletes every session of {@code userId} and/or the named sessions (and their forks) with
     * their checkpoints and Redis keys. Idempotent, so retried like a read.
     *
     * @param userId     the user, or {@code null}
     * @param sessionIds sessions to erase, or {@code null}
     * @return what was deleted
     */
    public Uni<StateErasure> erase(String userId, List<String> sessionIds) {
        return erase.run(() -> rest.erase(new ErasureRequest(userId, sessionIds)));
    }

    /**
     * {@code GET /sessions/{id}}.
     *
     * @return the session; fails with {@link SessionNotFoundException} (404)
     */
    public Uni<Session> findSession(String sessionId) {
        return findSession.run(() -> rest.findSession(sessionId));
    }

    /**
     * {@code GET /sessions/user/{user_id}}.
     *
     * @return the user's sessions (possibly none)
     */
    public Uni<UserSessions> listUserSessions(String userId) {
        return listUserSessions.run(() -> rest.listUserSessions(userId));
    }

    /**
     * {@code POST /sessions/{id}/turns} with {@code If-Match: <version>} and {@code X-Fencing-Token} (not retried).
     *
     * @param expectedVersion the version the turn was computed from
     * @param fencingToken    the token of the session lease this replica holds, or {@code null} (unfenced)
     * @return the appended turn's checkpoint and the new session; {@link VersionConflictException} (412)
     *         when the session changed meanwhile, {@link StaleFencingTokenException} (409) when a newer lease
     *         holder took the session (written or not), {@link SessionNotFoundException} (404)
     */
    public Uni<TurnAppended> appendTurn(String sessionId, long expectedVersion, Long fencingToken, NewTurn turn) {
        return appendTurn.run(() -> rest.appendTurn(sessionId, "\"" + expectedVersion + "\"", fencingToken, turn));
    }

    /**
     * {@code POST /sessions/{id}/turns} with {@code If-None-Match: *}: starts a session state-service does not hold
     * yet with its first turn, in one call (owner {@code turn.userId()}).
     *
     * @param fencingToken the token of the session lease this replica holds
     * @return the new session (version 1) and the turn's checkpoint; a repeated start of the same turn id answers the
     *         recorded result; fails with {@link VersionConflictException} (412) when the session exists already,
     *         409 {@code session-user-mismatch} when it is another user's
     */
    public Uni<TurnAppended> startSession(String sessionId, Long fencingToken, NewTurn turn) {
        return startSession.run(() -> rest.startSession(sessionId, "*", fencingToken, turn));
    }

    /**
     * Reachability probe for readiness (liveness endpoint within 1 s).
     *
     * @return {@code true} when state-service answered 2xx
     */
    public Uni<Boolean> ping() {
        return rest.live()
                .map(r -> r.getStatus() < 400)
                .ifNoItem()
                .after(Duration.ofSeconds(1))
                .fail()
                .onFailure()
                .recoverWithItem(false);
    }
}
