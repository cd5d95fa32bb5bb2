package dev.switchboard.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.registry.AgentCardUnreachableException;
import dev.switchboard.common.problem.ProblemException;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

/**
 * Fetches A2A Agent Cards ({@code GET <card_url>}, e.g. {@code https://agent.example/.well-known/agent-card.json})
 * with a 5 s timeout per attempt and two retries (a GET is safe to repeat).
 */
@ApplicationScoped
public class AgentCardClient {

    private static final Logger LOG = Logger.getLogger(AgentCardClient.class);

    /**
     * @param cardUrl absolute http(s) URL of the card
     * @return the card's JSON; fails with {@link AgentCardUnreachableException} (502) when it cannot be fetched
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS)
    public Uni<JsonNode> fetchCard(URI cardUrl) {
        AgentCardRestClient client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(cardUrl)
                .connectTimeout(3, TimeUnit.SECONDS)
                .readTimeout(5, TimeUnit.SECONDS)
                .build(AgentCardRestClient.class);
        return client.fetch()
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                    LOG.warnf("Could not fetch agent card %s: %s", cardUrl, e.toString());
                    return new AgentCardUnreachableException(cardUrl.toString(), e);
                })
                .onTermination().invoke(() -> {
                    try {
                        ((AutoCloseable) client).close();
                    } catch (Exception e) {
                        LOG.debugf("Closing card client: %s", e.getMessage());
                    }
                });
    }
}
