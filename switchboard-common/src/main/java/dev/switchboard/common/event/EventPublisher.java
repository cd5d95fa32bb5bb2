package dev.switchboard.common.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Publishes JSON events on one Redis pub/sub channel, each numbered: {@code seq}, spliced in as the event's first
 * field, grows by exactly one per event on the channel across every replica (one Lua script does {@code INCR} of the
 * channel's counter and {@code PUBLISH} with that number, so numbers and channel order agree). A consumer that sees a
 * jump knows it missed events; a smaller number than before means the counter was lost (Redis flush or restart).
 * Either way it resyncs from the source of truth.
 *
 * <p>The failure rule, the same for every event of every service: publishing never fails the caller. Events go out
 * after the change they announce is committed, so failing then would answer an error for a write that happened (and
 * a client that retries it would write twice), while pub/sub is at-most-once anyway and every consumer already
 * resyncs on a timer and on a gap. So:
 * <ul>
 *   <li>Redis refuses or is unreachable: logged at WARN, counted {@code outcome=failed}; the number is not used.</li>
 *   <li>The event cannot be serialised (a bug, not an outage): logged at ERROR, counted {@code outcome=unserialisable},
 *       and its number is still taken ({@code INCR} alone), so consumers see the gap at the next event and resync
 *       instead of missing the change silently until their next timed resync.</li>
 * </ul>
 * Every outcome counts in {@code switchboard_events_published_total{channel,type,outcome}} ({@code outcome} one of
 * {@code published}, {@code failed}, {@code unserialisable}).
 *
 * <p>Not a bean: a service's publisher makes one per channel in its constructor.
 */
public final class EventPublisher {

    /** The counter of publish outcomes. */
    public static final String METRIC = "switchboard.events.published";

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    // KEYS[1] the counter, ARGV[1] the channel, ARGV[2] the event's JSON object: seq goes in as its first field
    private static final String PUBLISH_WITH_SEQ = """
            local seq = redis.call('INCR', KEYS[1])
            local body = ARGV[2]
            if body == '{}' then
              body = '{"seq":' .. seq .. '}'
            else
              body = '{"seq":' .. seq .. ',' .. string.sub(body, 2)
            end
            redis.call('PUBLISH', ARGV[1], body)
            return seq
            """;

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final String channel;
    private final String sequenceKey;

    /**
     * @param redis       where to publish
     * @param mapper      serialises events (the service's configured mapper, so field names match its API)
     * @param meters      where outcomes are counted
     * @param channel     the pub/sub channel, e.g. {@code sb:events:agents}
     * @param sequenceKey the Redis counter behind {@code seq}, under the publishing service's key prefix
     */
    public EventPublisher(
            ReactiveRedisDataSource redis,
            ObjectMapper mapper,
            MeterRegistry meters,
            String channel,
            String sequenceKey) {
        this.redis = redis;
        this.mapper = mapper;
        this.meters = meters;
        this.channel = channel;
        this.sequenceKey = sequenceKey;
    }

    /** Writes an event as a JSON object; may choose between forms (e.g. leave out a large part). */
    @FunctionalInterface
    public interface EventBody {

        /**
         * @param mapper the publisher's mapper
         * @return the event as a JSON object ({@code {...}})
         * @throws JsonProcessingException when it cannot be written
         */
        String toJson(ObjectMapper mapper) throws JsonProcessingException;
    }

    /** @return the channel this publisher publishes on */
    public String channel() {
        return channel;
    }

    /**
     * Publishes {@code event} serialised by the mapper. See {@link #publish(String, EventBody)}.
     *
     * @param type  the event's type, for logs and the metric (e.g. {@code agent.updated})
     * @param event the event; it must serialise to a JSON object
     * @return its {@code seq}, or {@code null} when it was not published; never fails
     */
    public Uni<Long> publish(String type, Object event) {
        return publish(type, m -> m.writeValueAsString(event));
    }

    /**
     * Publishes one event with the next {@code seq} of the channel. Never fails: see the class comment for what
     * happens when Redis or the serialisation fails.
     *
     * @param type the event's type, for logs and the metric (e.g. {@code agent.updated})
     * @param body writes the event as a JSON object
     * @return its {@code seq}, or {@code null} when it was not published
     */
    public Uni<Long> publish(String type, EventBody body) {
        String json;
        try {
            json = body.toJson(mapper);
            if (json == null || !json.startsWith("{") || !json.endsWith("}")) {
                throw new IllegalArgumentException("an event must be a JSON object");
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf(e, "Event %s on %s cannot be serialised; its seq is skipped so consumers resync", type, channel);
            count(type, "unserialisable");
            return redis.execute("INCR", sequenceKey)
                    .onFailure()
                    .invoke(f -> LOG.warnf("Could not skip a seq on %s: %s", channel, f.getMessage()))
                    .onItemOrFailure()
                    .<Long>transform((ignored, failure) -> null);
        }
        return redis.execute("EVAL", PUBLISH_WITH_SEQ, "1", sequenceKey, channel, json)
                .map(reply -> reply.toLong())
                .invoke(seq -> {
                    count(type, "published");
                    LOG.debugf("Published %s on %s (seq %d)", type, channel, seq);
                })
                .onFailure()
                .recoverWithItem(e -> {
                    count(type, "failed");
                    LOG.warnf("Could not publish %s on %s: %s", type, channel, e.getMessage());
                    return null;
                });
    }

    private void count(String type, String outcome) {
        Counter.builder(METRIC)
                .description("Events published on Redis pub/sub, by channel, type and outcome")
                .tag("channel", channel)
                .tag("type", type)
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }
}
