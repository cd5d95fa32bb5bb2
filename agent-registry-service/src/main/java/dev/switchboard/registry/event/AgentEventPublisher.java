package dev.switchboard.registry.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.registry.Agent;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Publishes {@link AgentEvent}s as JSON strings on the Redis channel {@value #CHANNEL}, each with a cluster-wide
 * sequence number {@code seq} (one Lua script: {@code INCR} {@value #SEQ_KEY}, then {@code PUBLISH} with that number,
 * so numbers and channel order agree). Pub/sub is at-most-once: a failed publish is logged, never fails the
 * (already committed) write; consumers detect the gap by {@code seq} and resync.
 * <p>
 * Events carry the agent after the change as {@code snapshot} (the agent object of {@code GET /agents/{name}}; for
 * a deletion the row as it was, whose {@code created_at} tells it apart from a later agent of the same name), so a consumer that has seen every earlier event applies the change without re-reading
 * the whole list; an event that would exceed {@value #MAX_SNAPSHOT_EVENT_BYTES} characters (an agent with hundreds of long
 * examples) is sent without it, and the consumer re-reads as before.
 */
@ApplicationScoped
public class AgentEventPublisher {

    /** The channel agent events are published on. */
    public static final String CHANNEL = "sb:events:agents";
    /** The Redis counter behind {@code seq}. */
    public static final String SEQ_KEY = "sb:registry:event-seq";
    /** Largest event (characters of JSON) that still carries the agent's {@code snapshot}. */
    public static final int MAX_SNAPSHOT_EVENT_BYTES = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(AgentEventPublisher.class);
    // ARGV[1] is the event's JSON object; seq is spliced in as its first field
    private static final String PUBLISH_WITH_SEQ = """
            local seq = redis.call('INCR', KEYS[1])
            redis.call('PUBLISH', ARGV[1], '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2))
            return seq
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper mapper;

    /** Builds the pub/sub command group once. */
    public AgentEventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.redis = redis;
        this.pubsub = redis.pubsub(String.class);
        this.mapper = mapper;
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
        String agent = snapshot.name();
        long revision = snapshot.revision();
        String json;
        try {
            Instant now = Instant.now();
            json = mapper.writeValueAsString(new AgentEvent(type, agent, revision, now, reason, snapshot));
            if (json.length() > MAX_SNAPSHOT_EVENT_BYTES) {
                json = mapper.writeValueAsString(new AgentEvent(type, agent, revision, now, reason, null));
            }
        } catch (JsonProcessingException e) {
            return Uni.createFrom().voidItem();
        }
        return redis.execute("EVAL", PUBLISH_WITH_SEQ, "1", SEQ_KEY, CHANNEL, json)
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Could not publish %s for agent %s: %s", type, agent, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /**
     * The live event stream for {@code GET /agents/events}: every message published on {@value #CHANNEL} from now on,
     * as the JSON string; one Redis subscription per stream, ended when the client goes away.
     */
    public Multi<String> stream() {
        return pubsub.subscribe(CHANNEL);
    }
}
