package dev.switchboard.prompts.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.event.EventPublisher;
import dev.switchboard.prompts.config.PromptConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Publishes {@link PromptEvent}s on the Redis channel {@code prompts.events-channel}, numbered by {@code seq}
 * (counter {@value #SEQ_KEY}). Called after the change is committed; a failed publish is logged and counted but
 * never fails the request (the change is durable, and consumers also resync on a timer because pub/sub may drop
 * messages): the rule of {@link EventPublisher}.
 */
@ApplicationScoped
public class PromptEventPublisher {

    /** The Redis counter behind {@code seq}. */
    public static final String SEQ_KEY = "sb:prompts:event-seq";

    private final EventPublisher publisher;

    /** Builds the publisher once. */
    public PromptEventPublisher(
            ReactiveRedisDataSource redis, ObjectMapper mapper, PromptConfig config, MeterRegistry meters) {
        this.publisher = new EventPublisher(redis, mapper, meters, config.eventsChannel(), SEQ_KEY);
    }

    /** Publishes one event; completes (never fails) once Redis answered or the failure was logged. */
    public Uni<Void> publish(PromptEvent event) {
        return publisher.publish(event.type(), event).replaceWithVoid();
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
