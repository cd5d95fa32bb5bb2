package dev.switchboard.supervisor.peers;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Guarded client of prompt-service, under its policy ({@link PeerPolicy},
 * {@code supervisor.fault-tolerance.prompt-service}): retried reads with a timeout (504) and a circuit breaker (503
 * while open); 404 {@code prompt-not-found}/{@code label-not-found} become {@link PromptNotFoundException}
 * ({@link PromptExceptionMapper}) and never trip the breaker. Stale-if-error caching is the job of the caller
 * ({@code PromptCache}).
 */
@ApplicationScoped
public class PromptClient {

    /** Peer name used in problem details and logs. */
    public static final String PEER = "prompt-service";

    private final PromptRestClient rest;
    private final PeerPolicy.Call findPrompt;

    PromptClient(@RestClient PromptRestClient rest, FaultToleranceConfig config) {
        this.rest = rest;
        PeerPolicy policy = new PeerPolicy(PEER, config.promptService(), PeerProblems.rules(PEER));
        this.findPrompt = policy.repeatable("find-prompt");
    }

    /**
     * {@code GET /prompts/{id}?label=...}.
     *
     * @param label label to resolve, e.g. {@code production}
     * @return the prompt version the label points at; {@link PromptNotFoundException} (404)
     */
    public Uni<Prompt> findPrompt(String id, String label) {
        return findPrompt.run(() -> rest.findPrompt(id, label));
    }

    /**
     * Reachability probe for readiness (liveness endpoint within 1 s).
     *
     * @return {@code true} when prompt-service answered 2xx
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
