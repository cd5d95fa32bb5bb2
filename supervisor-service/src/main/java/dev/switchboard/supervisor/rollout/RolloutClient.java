package dev.switchboard.supervisor.rollout;

import dev.switchboard.supervisor.peers.AgentRegistryClient;
import dev.switchboard.supervisor.peers.FaultToleranceConfig;
import dev.switchboard.supervisor.peers.PeerPolicy;
import dev.switchboard.supervisor.peers.PeerProblems;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks the registry to roll a canary back, under the registry's policy ({@link PeerPolicy},
 * {@code supervisor.fault-tolerance.agent-registry}; breaker {@code agent-registry:rollback}). The rollback is
 * idempotent there, so it is retried; a 4xx is the registry refusing the request and is not retried.
 */
@ApplicationScoped
public class RolloutClient {

    private final RolloutRestClient client;
    private final PeerPolicy.Call rollback;

    RolloutClient(@RestClient RolloutRestClient client, FaultToleranceConfig config) {
        this.client = client;
        this.rollback = new PeerPolicy(
                        AgentRegistryClient.PEER, config.agentRegistry(), PeerProblems.rules(AgentRegistryClient.PEER))
                .repeatable("rollback");
    }

    /**
     * @param agent   the agent
     * @param version its canary version
     * @param reason  the trigger, for the registry's event and log
     * @return completes when the registry answered 2xx; fails after the retries with the registry's problem
     *         (404 {@code agent-not-found}, another refusal, 503/504)
     */
    public Uni<Void> rollback(String agent, String version, String reason) {
        return rollback.run(() -> client.rollback(agent, new RolloutRestClient.Rollback(version, reason)));
    }
}
