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
 * Publishes {@link SupervisorEvent}s as JSON strings on the Redis channel {@value #CHANNEL}. At-most-once like the
 * agent events: a failed publish is logged and never fails the committed write.
 */
@ApplicationScoped
public class SupervisorEventPublisher {

    /** The channel supervisor instance events are published on. */
    public static final String CHANNEL = "sb:events:supervisors";

    private static final Logger LOG = Logger.getLogger(SupervisorEventPublisher.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper mapper;

    /** Builds the pub/sub command group once. */
    public SupervisorEventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.pubsub = redis.pubsub(String.class);
        this.mapper = mapper;
    }

    /**
     * Publishes {@code {"type","supervisor","reason"?,"timestamp"}}. Never fails.
     *
     * @param type   one of the {@link SupervisorEvent} type constants
     * @param reason optional reason, or {@code null}
     */
    public Uni<Void> publish(String type, String supervisor, String reason) {
        String json;
        try {
            json = mapper.writeValueAsString(new SupervisorEvent(type, supervisor, reason, Instant.now()));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().voidItem();
        }
        return pubsub.publish(CHANNEL, json)
                .onFailure().invoke(e -> LOG.warnf("Could not publish %s for supervisor %s: %s", type, supervisor,
                        e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
