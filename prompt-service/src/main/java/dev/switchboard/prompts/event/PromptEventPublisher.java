package dev.switchboard.prompts.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.prompts.config.PromptConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes {@link PromptEvent}s on the Redis channel {@code prompts.events-channel}. Called after the
 * change is committed; a failed publish is logged and counted but never fails the request (the change is
 * durable, and consumers also resync on a timer because pub/sub may drop messages).
 */
@ApplicationScoped
public class PromptEventPublisher {

    private static final Logger LOG = Logger.getLogger(PromptEventPublisher.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper mapper;
    private final String channel;
    private final MeterRegistry metrics;

    /** Builds the pub/sub command group once. */
    public PromptEventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper, PromptConfig config,
            MeterRegistry metrics) {
        this.pubsub = redis.pubsub(String.class);
        this.mapper = mapper;
        this.channel = config.eventsChannel();
        this.metrics = metrics;
    }

    /** Publishes one event; completes (never fails) once Redis answered or the failure was logged. */
    public Uni<Void> publish(PromptEvent event) {
        String json;
        try {
            json = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return pubsub.publish(channel, json)
                .invoke(() -> {
                    metrics.counter("prompts.events.published", "type", event.type(), "outcome", "ok").increment();
                    LOG.debugf("Published %s for prompt %s", event.type(), event.promptId());
                })
                .onFailure().recoverWithItem(e -> {
                    metrics.counter("prompts.events.published", "type", event.type(), "outcome", "error").increment();
                    LOG.warnf("Could not publish %s for prompt %s: %s", event.type(), event.promptId(), e.getMessage());
                    return null;
                });
    }

    /** Publishes events one after the other, in order. */
    public Uni<Void> publishAll(List<PromptEvent> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PromptEvent event : events) {
            chain = chain.chain(() -> publish(event));
        }
        return chain;
    }
}
