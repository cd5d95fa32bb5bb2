package dev.switchboard.supervisor.peers;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.routing.AgentNotFoundException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Guarded client of agent-registry-service. Reads are retried; all calls have a timeout (504
 * {@code dependency-timeout}) and a circuit breaker (503 {@code dependency-unavailable} while open); the
 * registry's 4xx (e.g. 404 {@code agent-not-found}) pass through and never trip the breaker.
 */
@ApplicationScoped
public class AgentRegistryClient {

    /** Peer name used in problem details and logs. */
    public static final String PEER = "agent-registry";

    private final AgentRegistryRestClient rest;

    AgentRegistryClient(@RestClient AgentRegistryRestClient rest) {
        this.rest = rest;
    }

    /**
     * {@code GET /agents}: every registered agent, any status.
     *
     * @return the agents sorted by name; fails with 503/504 problems when the registry is unavailable
     */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { PeerRejectedException.class,
            CircuitBreakerOpenException.class })
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("agent-registry:list-agents")
    @Fallback(fallbackMethod = "listAgentsFallback", skipOn = ProblemException.class)
    public Uni<List<RegistryAgent>> listAgents() {
        return rest.listAgents()
                .map(list -> list == null || list.agents() == null ? List.<RegistryAgent> of() : list.agents())
                .onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * {@code GET /agents/{name}}.
     *
     * @return the agent; fails with {@link AgentNotFoundException} (404) when unknown
     */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { PeerRejectedException.class,
            CircuitBreakerOpenException.class })
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("agent-registry:find-agent")
    @Fallback(fallbackMethod = "findAgentFallback", skipOn = ProblemException.class)
    public Uni<RegistryAgent> findAgent(String name) {
        return rest.findAgent(name).onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * {@code POST /agents/{name}/status} (not retried: a write).
     *
     * @return the updated agent; 404 {@code agent-not-found}, 400 for an unknown status (the registry's problem)
     */
    @Timeout(3000)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("agent-registry:change-status")
    @Fallback(fallbackMethod = "changeStatusFallback", skipOn = ProblemException.class)
    public Uni<RegistryAgent> changeStatus(String name, String status) {
        return rest.changeStatus(name, new AgentStatusChange(status))
                .onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * {@code GET /supervisors}: every registered supervisor replica with the registry's {@code up}/{@code stale}.
     *
     * @return the instances sorted by id; fails with 503/504 problems when the registry is unavailable
     */
    @Timeout(2000)
    @Retry(maxRetries = 1, delay = 100, jitter = 50, abortOn = { PeerRejectedException.class,
            CircuitBreakerOpenException.class })
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("agent-registry:list-supervisors")
    @Fallback(fallbackMethod = "listSupervisorsFallback", skipOn = ProblemException.class)
    public Uni<List<SupervisorInstance>> listSupervisors() {
        return rest.listSupervisors()
                .map(list -> list == null || list.supervisors() == null ? List.<SupervisorInstance> of() : list.supervisors())
                .onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * {@code POST /supervisors}: registers this replica (idempotent upsert by id, so retried).
     *
     * @param registration {@code id, host, port, version, capacity, active_sessions, started_at}
     * @return the registry's instance; fails with 400 (invalid body) or 503/504 problems
     */
    @Timeout(2000)
    @Retry(maxRetries = 1, delay = 200, jitter = 100, abortOn = { PeerRejectedException.class,
            CircuitBreakerOpenException.class })
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("agent-registry:register-supervisor")
    @Fallback(fallbackMethod = "registerSupervisorFallback", skipOn = ProblemException.class)
    public Uni<SupervisorInstance> registerSupervisor(SupervisorInstance registration) {
        return rest.registerSupervisor(registration).onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * {@code POST /supervisors/{id}/heartbeat} (not retried: the next heartbeat is the retry).
     *
     * @return the registry's instance; fails with {@link SupervisorNotFoundException} (404) when the registry
     *         does not know the id (register again), 503/504 problems when it is unavailable
     */
    @Timeout(2000)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("agent-registry:heartbeat-supervisor")
    @Fallback(fallbackMethod = "heartbeatSupervisorFallback", skipOn = ProblemException.class)
    public Uni<SupervisorInstance> heartbeatSupervisor(String id, SupervisorHeartbeat heartbeat) {
        return rest.heartbeatSupervisor(id, heartbeat).onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * {@code DELETE /supervisors/{id}} (not retried; used on shutdown).
     *
     * @return completes when deregistered; fails with {@link SupervisorNotFoundException} (404) if unknown,
     *         503/504 problems when the registry is unavailable
     */
    @Timeout(2000)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("agent-registry:deregister-supervisor")
    @Fallback(fallbackMethod = "deregisterSupervisorFallback", skipOn = ProblemException.class)
    public Uni<Void> deregisterSupervisor(String id) {
        return rest.deregisterSupervisor(id).onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * Reachability probe for readiness: any answer of the registry's liveness endpoint within 1 s.
     *
     * @return {@code true} when the registry answered 2xx
     */
    public Uni<Boolean> ping() {
        return rest.live().map(r -> r.getStatus() < 400)
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .onFailure().recoverWithItem(false);
    }

    Uni<List<RegistryAgent>> listAgentsFallback(Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }

    Uni<RegistryAgent> findAgentFallback(String name, Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }

    Uni<List<SupervisorInstance>> listSupervisorsFallback(Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }

    Uni<SupervisorInstance> registerSupervisorFallback(SupervisorInstance registration, Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }

    Uni<SupervisorInstance> heartbeatSupervisorFallback(String id, SupervisorHeartbeat heartbeat, Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }

    Uni<Void> deregisterSupervisorFallback(String id, Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }

    Uni<RegistryAgent> changeStatusFallback(String name, String status, Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }
}
