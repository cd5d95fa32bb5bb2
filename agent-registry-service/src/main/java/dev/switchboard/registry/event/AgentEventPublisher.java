package dev.switchboard.registry.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Publishes {@link AgentEvent}s as JSON strings on the Redis channel {@value #CHANNEL}. Pub/sub is
 * at-most-once: a failed publish is logged, never fails the (already committed) write; consumers resync.
 */
@ApplicationScoped
public class AgentEventPublisher {

    /** The channel agent events are published on. */
    public static final String CHANNEL = "sb:events:agents";

    private static final Logger LOG = Logger.getLogger(AgentEventPublisher.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper mapper;

    /** Builds the pub/sub command group once. */
    public AgentEventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.pubsub = redis.pubsub(String.class);
        this.mapper = mapper;
    }

    /**
     * Publishes {@code {"type","agent","revision","timestamp"}}. Never fails.
     *
     * @param type one of the {@link AgentEvent} type constants
     */
    public Uni<Void> publish(String type, String agent, long revision) {
        String json;
        try {
            json = mapper.writeValueAsString(new AgentEvent(type, agent, revision, Instant.now()));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().voidItem();
        }
        return pubsub.publish(CHANNEL, json)
                .onFailure().invoke(e -> LOG.warnf("Could not publish %s for agent %s: %s", type, agent, e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
