package dev.switchboard.prompts.client;

import dev.switchboard.prompts.RegistryUnavailableException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Guarded client of agent-registry-service: which active agents use a prompt. Each call has a 3 s timeout and one
 * retry; any failure becomes {@link RegistryUnavailableException} (503). No circuit breaker: the check runs only
 * on admin deletes, too rarely for one to help.
 */
@ApplicationScoped
public class AgentRegistryClient {

    private final AgentRegistryRestClient rest;

    AgentRegistryClient(@RestClient AgentRegistryRestClient rest) {
        this.rest = rest;
    }

    /**
     * Names of the {@code active} agents whose {@code prompt_id} is {@code promptId}.
     *
     * @return agent names, sorted; empty when none
     * @throws RegistryUnavailableException (as failure) when the registry cannot be asked
     */
    @Timeout(3000)
    @Retry(maxRetries = 1, delay = 200)
    @Fallback(fallbackMethod = "activeAgentsUsingFallback")
    public Uni<List<String>> activeAgentsUsing(String promptId) {
        return rest.listAgents("active")
                .map(list -> list.agents() == null
                        ? List.<String>of()
                        : list.agents().stream()
                                .filter(a -> promptId.equals(a.promptId()) && "active".equals(a.status()))
                                .map(RegistryAgents.Agent::name)
                                .sorted()
                                .toList());
    }

    /** Any failure left after the retry (timeouts included) is a 503 for the caller. */
    Uni<List<String>> activeAgentsUsingFallback(String promptId, Throwable failure) {
        return Uni.createFrom().failure(new RegistryUnavailableException(failure));
    }
}
