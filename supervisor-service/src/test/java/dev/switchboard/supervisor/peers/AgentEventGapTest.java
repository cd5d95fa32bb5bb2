package dev.switchboard.supervisor.peers;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Agent events arriving over real Redis pub/sub: a gap in {@code seq} is detected and the agent list re-read. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class AgentEventGapTest {

    @InjectPeers
    WireMockServer peers;

    @Inject
    AgentCache cache;

    @Inject
    AgentEventSequence sequence;

    @Inject
    RedisDataSource redis;

    private void publish(long seq) {
        redis.pubsub(String.class)
                .publish(
                        "sb:events:agents",
                        "{\"seq\":" + seq
                                + ",\"type\":\"agent.updated\",\"agent\":\"general_assistant_agent\",\"revision\":2,"
                                + "\"timestamp\":\"2026-11-21T12:00:00Z\"}");
    }

    @Test
    void aGapInTheEventSequenceIsDetectedAndTheAgentListReread() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
        long base = 900_000 + System.nanoTime() % 1000;
        publish(base);
        await().atMost(Duration.ofSeconds(10)).until(() -> sequence.last() == base);
        int listsBefore =
                peers.findAll(getRequestedFor(urlPathEqualTo("/agents"))).size();
        publish(base + 4); // base+1..base+3 lost
        await().atMost(Duration.ofSeconds(10)).until(() -> sequence.last() == base + 4);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> peers.findAll(getRequestedFor(urlPathEqualTo("/agents")))
                                .size()
                        > listsBefore);
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        assertTrue(metrics.contains("switchboard_registry_event_gaps_total"), "gap counter exported");
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("switchboard_registry_events_missed_total")
                                && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 3.0),
                "three events known missed");
    }
}
