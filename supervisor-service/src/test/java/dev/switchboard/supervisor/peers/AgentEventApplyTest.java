package dev.switchboard.supervisor.peers;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Agent events that carry the agent ({@code snapshot}) are applied to the cache and the router index on their own,
 * over real Redis pub/sub, without a {@code GET /agents}; a gap in {@code seq} still re-reads the list.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class AgentEventApplyTest {

    private static final String PLANT_AGENT = "plant_care_agent";
    private static final String PLANT_MESSAGE = "how often should I water my monstera";
    private static final String CREATED = "2026-11-21T13:00:00Z";

    @InjectPeers
    WireMockServer peers;

    @Inject
    AgentCache cache;

    @Inject
    AgentEventSequence sequence;

    @Inject
    RedisDataSource redis;

    private static ObjectNode plantAgent(String status, long revision) {
        ObjectNode agent = PeersWireMockResource.agent(
                PLANT_AGENT,
                "Looks after house plants: watering, light, repotting",
                null,
                status,
                false,
                List.of("plants"),
                List.of(
                        PLANT_MESSAGE,
                        "my fern has brown leaves",
                        "when should I repot a cactus",
                        "how much light does a peace lily need",
                        "what fertilizer for tomatoes on the balcony"));
        return agent.put("revision", revision).put("created_at", CREATED);
    }

    private void publish(long seq, String type, long revision, ObjectNode snapshot) {
        ObjectNode event = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .build()
                .createObjectNode()
                .put("seq", seq)
                .put("type", type)
                .put("agent", PLANT_AGENT)
                .put("revision", revision)
                .put("timestamp", java.time.Instant.now().toString());
        if (snapshot != null) {
            event.set("snapshot", snapshot);
        }
        redis.pubsub(String.class).publish("sb:events:agents", event.toString());
    }

    private int listCalls() {
        return peers.findAll(getRequestedFor(urlPathEqualTo("/agents"))).size();
    }

    private boolean routable(String name) {
        return cache.routerIndex().map(i -> i.agentNames().contains(name)).orElse(false);
    }

    @Test
    void contiguousEventsAreAppliedFromTheirPayloadWithoutReadingTheList() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
        long seq = sequence.last() + 1;
        int listsBefore = listCalls();

        publish(seq, "agent.registered", 1, plantAgent("active", 1));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> cache.findAgent(PLANT_AGENT).isPresent());
        assertEquals(true, routable(PLANT_AGENT), "listed together with the index that routes to it");
        given().contentType(ContentType.JSON)
                .body(Map.of("message", PLANT_MESSAGE))
                .post("/route")
                .then()
                .statusCode(200)
                .body("agent", equalTo(PLANT_AGENT));
        given().get("/agents").then().statusCode(200).body("agents." + PLANT_AGENT + ".status", equalTo("active"));

        publish(seq + 1, "agent.status_changed", 2, plantAgent("inactive", 2));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> cache.findAgent(PLANT_AGENT)
                                .map(a -> "inactive".equals(a.status()))
                                .orElse(false)
                        && !routable(PLANT_AGENT));

        publish(seq + 2, "agent.deleted", 2, null);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> cache.findAgent(PLANT_AGENT).isEmpty());

        assertEquals(seq + 2, sequence.last());
        assertEquals(listsBefore, listCalls(), "no GET /agents for events that carry the agent");
    }

    @Test
    void aGapAppliesTheEventAndRereadsTheList() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
        List<ObjectNode> agents = new ArrayList<>(PeersWireMockResource.defaultAgents());
        agents.add(plantAgent("active", 5));
        long seq = sequence.last() + 1;
        try {
            peers.stubFor(get(urlPathEqualTo("/agents")).willReturn(okJson(PeersWireMockResource.agentList(agents))));
            publish(seq, "agent.updated", 4, plantAgent("active", 4));
            await().atMost(Duration.ofSeconds(20)).until(() -> routable(PLANT_AGENT));
            int listsBefore = listCalls();

            publish(seq + 3, "agent.updated", 5, plantAgent("active", 5)); // seq + 1 and seq + 2 lost
            await().atMost(Duration.ofSeconds(20)).until(() -> listCalls() > listsBefore);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> cache.findAgent(PLANT_AGENT).isPresent() && routable(PLANT_AGENT));
        } finally {
            peers.stubFor(get(urlPathEqualTo("/agents"))
                    .willReturn(okJson(PeersWireMockResource.agentList(PeersWireMockResource.defaultAgents()))));
            publish(sequence.last() + 1, "agent.deleted", 5, null);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> cache.findAgent(PLANT_AGENT).isEmpty() && !routable(PLANT_AGENT));
        }
    }
}
