package dev.switchboard.registry.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.event.EventPublisher;
import dev.switchboard.registry.Agent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Publishes {@link AgentEvent}s as JSON strings on the Redis channel {@value #CHANNEL}, each with a cluster-wide
 * sequence number {@code seq} (counter {@value #SEQ_KEY}; see {@link EventPublisher} for the numbering and the rule
 * that a failed publish is logged and counted, never failing the already committed write; consumers detect a gap by
 * {@code seq} and resync).
 * <p>
 * Events carry the agent after the change as {@code snapshot} (the agent object of {@code GET /agents/{name}}; for
 * a deletion the row as it was, whose {@code created_at} tells it apart from a later agent of the same name), so a
 * consumer that has seen every earlier event applies the change without re-reading the whole list; an event that
 * would exceed {@value #MAX_SNAPSHOT_EVENT_BYTES} characters (an agent with hundreds of long examples) is sent
 * without it, and the consumer re-reads as before.
 */
@ApplicationScoped
public class AgentEventPublisher {

    /** The channel agent events are published on. */
    public static final String CHANNEL = "sb:events:agents";
    /** The Redis counter behind {@code seq}. */
    public static final String SEQ_KEY = "sb:registry:event-seq";
    /** Largest event (characters of JSON) that still carries the agent's {@code snapshot}. */
    public static final int MAX_SNAPSHOT_EVENT_BYTES = 64 * 1024;

    private final EventPublisher publisher;
    private final ReactivePubSubCommands<String> pubsub;

    /** Builds the publisher and the pub/sub command group once. */
    public AgentEventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper, MeterRegistry meters) {
        this.publisher = new EventPublisher(redis, mapper, meters, CHANNEL, SEQ_KEY);
        this.pubsub = redis.pubsub(String.class);
    }

    /**
     * Publishes {@code {"seq","type","agent","revision","timestamp","reason","snapshot"}}: {@code agent} and
     * {@code revision} are the snapshot's; the snapshot is left out when the event would exceed
     * {@link #MAX_SNAPSHOT_EVENT_BYTES}. Never fails.
     *
     * @param type     one of the {@link AgentEvent} type constants
     * @param snapshot the agent after the change (for a deletion, its last row)
     * @param reason   why, or {@code null}
     */
    public Uni<Void> publish(String type, Agent snapshot, String reason) {
        Instant now = Instant.now();
        return publisher
                .publish(type, mapper -> {
                    String json = mapper.writeValueAsString(
                            new AgentEvent(type, snapshot.name(), snapshot.revision(), now, reason, snapshot));
                    return json.length() <= MAX_SNAPSHOT_EVENT_BYTES
                            ? json
                            : mapper.writeValueAsString(
                                    new AgentEvent(type, snapshot.name(), snapshot.revision(), now, reason, null));
                })
                .replaceWithVoid();
    }

    /**
     * The live event stream for {@code GET /agents/events}: every message published on {@value #CHANNEL} from now on,
     * as the JSON string; one Redis subscription per stream, ended when the client goes away. The stream also ends
     * when its Redis connection does (the operator reconnects; {@code seq} shows what was missed), so it needs no
     * re-subscription of its own.
     */
    public Multi<String> stream() {
        return pubsub.subscribe(CHANNEL);
    }
}
