package dev.switchboard.supervisor.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shared agent-text embeddings in real Redis: what one replica stores another finds; one claim wins a text. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class RedisSharedEmbeddingsTest {

    @Inject
    RedisDataSource redis;

    @Test
    void storedVectorsAreFoundByAnotherReplicaAndOnlyOneClaimWins() {
        String model = "test-model-" + System.nanoTime();
        RedisSharedEmbeddings one = new RedisSharedEmbeddings(redis, model);
        RedisSharedEmbeddings two = new RedisSharedEmbeddings(redis, model);
        String text = "how often should I water my monstera";
        double[] vector = {0.6, -0.8, 0.0};

        assertEquals(List.of(text, "other text"), one.claim(List.of(text, "other text")));
        assertEquals(List.of(), two.claim(List.of(text, "other text")), "already claimed by the first replica");
        assertTrue(two.find(List.of(text)).isEmpty());

        one.store(Map.of(text, vector));
        Map<String, double[]> found = two.find(List.of(text, "other text"));
        assertEquals(1, found.size());
        assertArrayEquals(vector, found.get(text), 1e-6);
        assertTrue(
                new RedisSharedEmbeddings(redis, model + "-other")
                        .find(List.of(text))
                        .isEmpty(),
                "vectors of another model are never mixed in");
    }
}
