package dev.switchboard.supervisor.peers;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.prompts.PromptCache;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Prompt events arriving over real Redis pub/sub: an event marks only its own prompt stale, but a gap in {@code seq}
 * (events lost, any prompt may have changed) marks every cached prompt stale.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class PromptEventGapTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @InjectPeers
    WireMockServer peers;

    @Inject
    PromptCache cache;

    @Inject
    PromptEventSequence sequence;

    @Inject
    RedisDataSource redis;

    @Test
    void aGapInTheEventSequenceMarksEveryCachedPromptStale() {
        String cached = "p-" + UUID.randomUUID();
        String other = "p-" + UUID.randomUUID();
        peers.stubFor(get(urlPathEqualTo("/prompts/" + cached))
                .willReturn(okJson(PeersWireMockResource.prompt(cached, "agent", "Hello {{agent_name}}"))));
        long base = 900_000 + System.nanoTime() % 1000;
        publish(base, other);
        await().atMost(WAIT).until(() -> sequence.last() == base);
        find(cached);
        find(cached);
        assertEquals(1, reads(cached), "served from cache");

        publish(base + 1, other);
        await().atMost(WAIT).until(() -> sequence.last() == base + 1);
        find(cached);
        assertEquals(1, reads(cached), "an event for another prompt leaves this one fresh");

        publish(base + 4, other); // base+2 and base+3 lost
        await().atMost(WAIT)
                .until(
                        () -> { // the sequence is counted just before the cache is marked stale
                            find(cached);
                            return reads(cached) == 2;
                        });
        find(cached);
        assertEquals(2, reads(cached), "read again once after the gap, then served from cache");

        String metrics = RestAssured.get("/q/metrics").asString();
        assertTrue(metrics.contains("switchboard_prompt_event_gaps_total"), "gap counter exported");
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("switchboard_prompt_events_missed_total")
                                && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 2.0),
                "two events known missed");
    }

    private void publish(long seq, String promptId) {
        redis.pubsub(String.class)
                .publish(
                        "sb:events:prompts",
                        "{\"seq\":" + seq
                                + ",\"type\":\"prompt.updated\",\"prompt_id\":\"" + promptId + "\",\"version\":2,"
                                + "\"timestamp\":\"2026-11-21T12:00:00Z\"}");
    }

    private void find(String id) {
        cache.findPrompt(id).await().atMost(Duration.ofSeconds(30)).orElseThrow();
    }

    private int reads(String id) {
        return peers.findAll(getRequestedFor(urlPathEqualTo("/prompts/" + id))).size();
    }
}
