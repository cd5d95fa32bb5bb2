package dev.switchboard.supervisor.rollout;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks the registry to roll a canary back (idempotent there, so retried: 3 s timeout, 3 retries with backoff); a 4xx
 * is the registry refusing the request and is not retried.
 */
@ApplicationScoped
public class RolloutClient {

    private final RolloutRestClient client;

    RolloutClient(@RestClient RolloutRestClient client) {
        this.client = client;
    }

    /**
     * @param agent   the agent
     * @param version its canary version
     * @param reason  the trigger, for the registry's event and log
     * @return completes when the registry answered 2xx; fails after the retries
     */
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 500, delayUnit = ChronoUnit.MILLIS,
            abortOn = RolloutRestClient.RollbackRefusedException.class)
    public Uni<Void> rollback(String agent, String version, String reason) {
        return client.rollback(agent, new RolloutRestClient.Rollback(version, reason));
    }
}
