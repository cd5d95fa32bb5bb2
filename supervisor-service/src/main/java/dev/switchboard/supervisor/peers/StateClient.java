package dev.switchboard.supervisor.peers;

import dev.switchboard.common.problem.ProblemException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Guarded client of state-service. Reads and the idempotent load-or-create are retried; turn appends are
 * not (a conflicting append must be decided by the caller). Every call has a timeout (504
 * {@code dependency-timeout}) and a circuit breaker (503 {@code dependency-unavailable} while open);
 * state-service's 4xx (404 {@code session-not-found}, 409, 412 {@code version-conflict}) pass through as
 * typed exceptions and never trip the breaker.
 */
@ApplicationScoped
public class StateClient {

    /** Peer name used in problem details and logs. */
    public static final String PEER = "state-service";
    /**
     * Name of the turn appends' circuit breaker ({@code CircuitBreakerMaintenance}); every guarded call has its own,
     * named {@code <peer>:<call>}.
     */
    public static final String APPEND_TURN_BREAKER = "state-service:append-turn";

    private final StateRestClient rest;

    StateClient(@RestClient StateRestClient rest) {
        this.rest = rest;
    }

    /**
     * {@code POST /sessions}: loads the session or creates it (idempotent for a given id and user).
     *
     * @return the session; 409 {@code session-user-mismatch} when it belongs to another user
     */
    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { PeerRejectedException.class,
            CircuitBreakerOpenException.class })
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("state-service:open-session")
    @Fallback(fallbackMethod = "openSessionFallback", skipOn = ProblemException.class)
    public Uni<Session> openSession(String sessionId, String userId) {
        return rest.openSession(new OpenSessionRequest(sessionId, userId))
                .onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * {@code GET /sessions/{id}}.
     *
     * @return the session; fails with {@link SessionNotFoundException} (404)
     */
    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { PeerRejectedException.class,
            CircuitBreakerOpenException.class })
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("state-service:find-session")
    @Fallback(fallbackMethod = "findSessionFallback", skipOn = ProblemException.class)
    public Uni<Session> findSession(String sessionId) {
        return rest.findSession(sessionId).onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * {@code GET /sessions/user/{user_id}}.
     *
     * @return the user's sessions (possibly none)
     */
    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { PeerRejectedException.class,
            CircuitBreakerOpenException.class })
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("state-service:list-user-sessions")
    @Fallback(fallbackMethod = "listUserSessionsFallback", skipOn = ProblemException.class)
    public Uni<UserSessions> listUserSessions(String userId) {
        return rest.listUserSessions(userId).onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * {@code POST /sessions/{id}/turns} with {@code If-Match: <version>} and {@code X-Fencing-Token} (not retried).
     *
     * @param expectedVersion the version the turn was computed from
     * @param fencingToken    the token of the session lease this replica holds, or {@code null} (unfenced)
     * @return the appended turn's checkpoint and the new session; {@link VersionConflictException} (412)
     *         when the session changed meanwhile, {@link StaleFencingTokenException} (409) when a newer lease
     *         holder already wrote, {@link SessionNotFoundException} (404)
     */
    @Timeout(5000)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName(APPEND_TURN_BREAKER)
    @Fallback(fallbackMethod = "appendTurnFallback", skipOn = ProblemException.class)
    public Uni<TurnAppended> appendTurn(String sessionId, long expectedVersion, Long fencingToken, NewTurn turn) {
        return rest.appendTurn(sessionId, "\"" + expectedVersion + "\"", fencingToken, turn)
                .onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * Reachability probe for readiness (liveness endpoint within 1 s).
     *
     * @return {@code true} when state-service answered 2xx
     */
    public Uni<Boolean> ping() {
        return rest.live().map(r -> r.getStatus() < 400)
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .onFailure().recoverWithItem(false);
    }

    Uni<Session> openSessionFallback(String sessionId, String userId, Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }

    Uni<Session> findSessionFallback(String sessionId, Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }

    Uni<UserSessions> listUserSessionsFallback(String userId, Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }

    Uni<TurnAppended> appendTurnFallback(String sessionId, long expectedVersion, Long fencingToken, NewTurn turn,
            Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }
}
