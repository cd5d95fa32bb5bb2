package dev.switchboard.supervisor.peers;

import dev.switchboard.supervisor.routing.AgentNotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Guarded client of agent-registry-service, under its policy ({@link PeerPolicy},
 * {@code supervisor.fault-tolerance.agent-registry}). Reads and the idempotent registration are retried; all calls
 * have a timeout (504 {@code dependency-timeout}) and a circuit breaker (503 {@code dependency-unavailable} while
 * open); the registry's 4xx (e.g. 404 {@code agent-not-found}) pass through as typed exceptions
 * ({@link AgentRegistryExceptionMapper}) and never trip the breaker.
 */
@ApplicationScoped
public class AgentRegistryClient {

    /** Peer name used in problem details and logs. */
    public static final String PEER = "agent-registry";

    private final AgentRegistryRestClient rest;
    private final PeerPolicy.Call listAgents;
    private final PeerPolicy.Call findAgent;
    private final PeerPolicy.Call changeStatus;
    private final PeerPolicy.Call listSupervisors;
    private final PeerPolicy.Call registerSupervisor;
    private final PeerPolicy.Call heartbeatSupervisor;
    private final PeerPolicy.Call deregisterSupervisor;

    AgentRegistryClient(@RestClient AgentRegistryRestClient rest, FaultToleranceConfig config) {
        this.rest = rest;
        PeerPolicy policy = new PeerPolicy(PEER, config.agentRegistry(), PeerProblems.rules(PEER));
        this.listAgents = policy.repeatable("list-agents");
        this.findAgent = policy.repeatable("find-agent");
        this.changeStatus = policy.once("change-status");
        this.listSupervisors = policy.repeatable("list-supervisors");
        this.registerSupervisor = policy.repeatable("register-supervisor");
        // the next heartbeat is the retry
        this.heartbeatSupervisor = policy.once("heartbeat-supervisor");
        this.deregisterSupervisor = policy.once("deregister-supervisor");
    }

    /**
     * {@code GET /agents}: every registered agent, any status.
     *
     * @return the agents sorted by name; fails with 503/504 problems when the registry is unavailable
     */
    public Uni<List<RegistryAgent>> listAgents() {
        return listAgents
                .run(rest::listAgents)
                .map(list -> list == null || list.agents() == null ? List.<RegistryAgent>of() : list.agents());
    }

    /**
     * {@code GET /agents/{name}}.
     *
     * @return the agent; fails with {@link AgentNotFoundException} (404) when unknown
     */
    public Uni<RegistryAgent> findAgent(String name) {
        return findAgent.run(() -> rest.findAgent(name));
    }

    /**
     * {@code POST /agents/{name}/status} (not retried: a write).
     *
     * @return the updated agent; 404 {@code agent-not-found}, 400 for an unknown status (the registry's problem)
     */
    public Uni<RegistryAgent> changeStatus(String name, String status) {
        return changeStatus.run(() -> rest.changeStatus(name, new AgentStatusChange(status)));
    }

    /**
     * {@code GET /supervisors}: every registered supervisor replica with the registry's {@code up}/{@code stale}.
     *
     * @return the instances sorted by id; fails with 503/504 problems when the registry is unavailable
     */
    public Uni<List<SupervisorInstance>> listSupervisors() {
        return listSupervisors
                .run(rest::listSupervisors)
                .map(list -> list == null || list.supervisors() == null
                        ? List.<SupervisorInstance>of()
                        : list.supervisors());
    }

    /**
     * {@code POST /supervisors}: registers this replica (idempotent upsert by id, so retried).
     *
     * @param registration {@code id, host, port, version, capacity, active_sessions, started_at}
     * @return the registry's instance; fails with 400 (invalid body) or 503/504 problems
     */
    public Uni<SupervisorInstance> registerSupervisor(SupervisorInstance registration) {
        return registerSupervisor.run(() -> rest.registerSupervisor(registration));
    }

    /**
     * {@code POST /supervisors/{id}/heartbeat} (not retried: the next heartbeat is the retry).
     *
     * @return the registry's instance; fails with {@link SupervisorNotFoundException} (404) when the registry
     *         does not know the id (register again), 503/504 problems when it is unavailable
     */
    public Uni<SupervisorInstance> heartbeatSupervisor(String id, SupervisorHeartbeat heartbeat) {
        return heartbeatSupervisor.run(() -> rest.heartbeatSupervisor(id, heartbeat));
    }

    /**
     * {@code DELETE /supervisors/{id}} (not retried; used on shutdown).
     *
     * @return completes when deregistered; fails with {@link SupervisorNotFoundException} (404) if unknown,
     *         503/504 problems when the registry is unavailable
     */
    public Uni<Void> deregisterSupervisor(String id) {
        return deregisterSupervisor.run(() -> rest.deregisterSupervisor(id));
    }

    /**
     * Reachability probe for readiness: any answer of the registry's liveness endpoint within 1 s.
     *
     * @return {@code true} when the registry answered 2xx
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
