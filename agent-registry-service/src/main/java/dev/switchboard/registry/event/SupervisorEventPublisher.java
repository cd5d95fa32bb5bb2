package dev.switchboard.registry.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.event.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Publishes {@link SupervisorEvent}s as JSON strings on the Redis channel {@value #CHANNEL}, numbered by {@code seq}
 * (counter {@value #SEQ_KEY}) and at-most-once like the agent events: a failed publish is logged and counted, never
 * failing the committed write ({@link EventPublisher}).
 */
@ApplicationScoped
public class SupervisorEventPublisher {

    /** The channel supervisor instance events are published on. */
    public static final String CHANNEL = "sb:events:supervisors";
    /** The Redis counter behind {@code seq}. */
    public static final String SEQ_KEY = "sb:registry:supervisor-event-seq";

    private final EventPublisher publisher;

    /** Builds the publisher once. */
    public SupervisorEventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper, MeterRegistry meters) {
        this.publisher = new EventPublisher(redis, mapper, meters, CHANNEL, SEQ_KEY);
    }

    /**
     * Publishes {@code {"seq","type","supervisor","reason"?,"timestamp"}}. Never fails.
     *
     * @param type   one of the {@link SupervisorEvent} type constants
     * @param reason optional reason, or {@code null}
     */
    public Uni<Void> publish(String type, String supervisor, String reason) {
        return publisher
                .publish(type, new SupervisorEvent(type, supervisor, reason, Instant.now()))
                .replaceWithVoid();
    }
}
