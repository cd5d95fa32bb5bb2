package dev.switchboard.supervisor.prompts;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.peers.Prompt;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Stale-if-error of the prompt cache, and the metrics that say a replica is serving unconfirmed prompts. The prompt
 * client's breaker (open once half of its last six calls failed) is shared by every test of this Quarkus app; it is
 * closed, its window empty, when the test starts ({@link dev.switchboard.supervisor.testing.ClosedBreakersCallback}),
 * so the three failures provoked here cannot open it before the recovery is checked.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class PromptCacheTest {

    @InjectPeers
    WireMockServer peers;

    @Inject
    PromptCache cache;

    @Inject
    MeterRegistry meters;

    @Test
    void servesTheLastCopyWhilePromptServiceFailsAndCountsIt() {
        String id = "p-" + UUID.randomUUID();
        peers.stubFor(get(urlPathEqualTo("/prompts/" + id))
                .willReturn(okJson(PeersWireMockResource.prompt(id, "agent", "Version one of {{agent_name}}"))));
        assertEquals("Version one of {{agent_name}}", find(id).orElseThrow().content());

        cache.invalidate(id); // an event said it changed ...
        peers.stubFor(get(urlPathEqualTo("/prompts/" + id)).willReturn(serverError())); // ... but prompt-service fails
        double gaugeBefore =
                meters.get("switchboard.prompt.cache.stale.prompts").gauge().value();

        assertEquals("Version one of {{agent_name}}", find(id).orElseThrow().content(), "stale-if-error");
        assertEquals(
                1.0,
                meters.get("switchboard.prompt.cache.stale.served")
                        .tag("prompt", id)
                        .counter()
                        .count());
        assertTrue(meters.get("switchboard.prompt.cache.stale.prompts").gauge().value() >= gaugeBefore + 1);

        peers.stubFor(get(urlPathEqualTo("/prompts/" + id))
                .willReturn(okJson(PeersWireMockResource.prompt(id, "agent", "Version two"))));
        assertEquals("Version two", find(id).orElseThrow().content(), "recovers as soon as prompt-service answers");
        assertEquals(
                gaugeBefore,
                meters.get("switchboard.prompt.cache.stale.prompts").gauge().value());
    }

    private Optional<Prompt> find(String id) {
        return cache.findPrompt(id).await().atMost(Duration.ofSeconds(30));
    }
}
