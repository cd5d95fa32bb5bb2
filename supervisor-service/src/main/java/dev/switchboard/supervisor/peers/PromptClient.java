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
 * Guarded client of prompt-service: retried reads with a timeout (504) and a circuit breaker (503 while
 * open); 404 {@code prompt-not-found}/{@code label-not-found} become {@link PromptNotFoundException} and never
 * trip the breaker. Stale-if-error caching is the job of the caller ({@code PromptCache}).
 */
@ApplicationScoped
public class PromptClient {

    /** Peer name used in problem details and logs. */
    public static final String PEER = "prompt-service";

    private final PromptRestClient rest;

    PromptClient(@RestClient PromptRestClient rest) {
        this.rest = rest;
    }

    /**
     * {@code GET /prompts/{id}?label=...}.
     *
     * @param label label to resolve, e.g. {@code production}
     * @return the prompt version the label points at; {@link PromptNotFoundException} (404)
     */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { PeerRejectedException.class,
            CircuitBreakerOpenException.class })
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 5000, skipOn = PeerRejectedException.class)
    @CircuitBreakerName("prompt-service:find-prompt")
    @Fallback(fallbackMethod = "findPromptFallback", skipOn = ProblemException.class)
    public Uni<Prompt> findPrompt(String id, String label) {
        return rest.findPrompt(id, label).onFailure().transform(f -> PeerProblems.transport(PEER, f));
    }

    /**
     * Reachability probe for readiness (liveness endpoint within 1 s).
     *
     * @return {@code true} when prompt-service answered 2xx
     */
    public Uni<Boolean> ping() {
        return rest.live().map(r -> r.getStatus() < 400)
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .onFailure().recoverWithItem(false);
    }

    Uni<Prompt> findPromptFallback(String id, String label, Throwable failure) {
        return Uni.createFrom().failure(PeerProblems.guard(PEER, failure));
    }
}
