package dev.switchboard.registry.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.registry.AgentCardUnreachableException;
import dev.switchboard.registry.InvalidAgentCardException;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

/**
 * Fetches A2A Agent Cards ({@code GET <card_url>}, e.g. {@code https://agent.example/.well-known/agent-card.json})
 * with a 3 s connect and 5 s read timeout, a 5 s timeout per attempt and two retries (a GET is safe to repeat).
 * Redirects are not followed: the checked card URL is the only place a request goes. A card that is not JSON, or a
 * redirect, is the card server's answer, not the network's fault: neither is retried.
 */
@ApplicationScoped
public class AgentCardClient {

    private static final Logger LOG = Logger.getLogger(AgentCardClient.class);

    /**
     * @param cardUrl absolute http(s) URL of the card
     * @return the card's JSON, with U+FFFD in place of text PostgreSQL cannot store; fails with
     *         {@link AgentCardUnreachableException} (502) when it cannot be fetched, with
     *         {@link InvalidAgentCardException} (422) when it is not JSON, nests deeper than the mapper allows or the
     *         URL answers a redirect
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS, abortOn = InvalidAgentCardException.class)
    public Uni<JsonNode> fetchCard(URI cardUrl) {
        AgentCardRestClient client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(cardUrl)
                .connectTimeout(3, TimeUnit.SECONDS)
                .readTimeout(5, TimeUnit.SECONDS)
                .followRedirects(false)
                .build(AgentCardRestClient.class);
        return client.fetch()
                .onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> {
                    if (causedBy(e, JsonProcessingException.class)) {
                        LOG.warnf("Agent card %s is not usable JSON: %s", cardUrl, e.toString());
                        return new InvalidAgentCardException(
                                "The agent card at " + cardUrl + " is not valid JSON or is nested too deeply");
                    }
                    int status = e instanceof WebApplicationException w
                            ? w.getResponse().getStatus()
                            : 0;
                    if (status >= 300 && status < 400) {
                        LOG.warnf("Agent card %s answered a redirect (HTTP %d); not followed", cardUrl, status);
                        return new InvalidAgentCardException(
                                "The agent card URL " + cardUrl + " answered a redirect (HTTP " + status
                                        + "), which is not followed; register the card's own URL");
                    }
                    LOG.warnf("Could not fetch agent card %s: %s", cardUrl, e.toString());
                    return new AgentCardUnreachableException(cardUrl.toString(), e);
                })
                .onTermination()
                .invoke(() -> {
                    try {
                        ((AutoCloseable) client).close();
                    } catch (Exception e) {
                        LOG.debugf("Closing card client: %s", e.getMessage());
                    }
                });
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
