package dev.switchboard.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Test helper: records every message on {@code sb:events:agents} while subscribed. */
public final class AgentEvents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConcurrentLinkedQueue<JsonNode> received = new ConcurrentLinkedQueue<>();
    private final PubSubCommands.RedisSubscriber subscriber;

    private AgentEvents(RedisDataSource redis) {
        this.subscriber = redis.pubsub(String.class).subscribe("sb:events:agents", message -> {
            try {
                received.add(JSON.readTree(message));
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Subscribes now; close to unsubscribe. */
    public static AgentEvents subscribe(RedisDataSource redis) {
        return new AgentEvents(redis);
    }

    /** @return the events received so far for {@code agent}, in arrival order */
    public List<JsonNode> forAgent(String agent) {
        return received.stream()
                .filter(e -> agent.equals(e.path("agent").asText()))
                .toList();
    }

    /** @return the types of the events received so far for {@code agent} */
    public List<String> typesFor(String agent) {
        return forAgent(agent).stream().map(e -> e.path("type").asText()).toList();
    }

    @Override
    public void close() {
        subscriber.unsubscribe();
    }
}
