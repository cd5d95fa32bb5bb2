package dev.switchboard.common.event;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain JUnit against real Redis: numbering, the metric, and the rule that publishing never fails the caller. */
class EventPublisherTest {

    record Thing(String type, String name) {}

    private final ObjectMapper mapper = new ObjectMapper();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final String channel = "t-events-" + UUID.randomUUID();
    private final String sequenceKey = "t:event-seq:" + UUID.randomUUID();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private TestRedis infra;
    private ReactiveRedisDataSource redis;
    private ReactiveRedisSubscriber listener;

    @BeforeEach
    void listen() {
        infra = new TestRedis();
        redis = infra.dataSource(TestRedis.url());
        listener = redis.pubsub(String.class)
                .subscribe(channel, received::add)
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    @AfterEach
    void cleanUp() {
        listener.unsubscribe().await().atMost(Duration.ofSeconds(10));
        redis.key().del(sequenceKey).await().atMost(Duration.ofSeconds(10));
        infra.close();
    }

    private double count(String outcome) {
        return meters.find(EventPublisher.METRIC).tag("channel", channel).tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void numbersEventsOneByOneWithSeqAsTheirFirstField() throws Exception {
        EventPublisher publisher = new EventPublisher(redis, mapper, meters, channel, sequenceKey);

        Long first = publisher
                .publish("thing.created", new Thing("thing.created", "a"))
                .await()
                .indefinitely();
        Long second = publisher
                .publish("thing.updated", new Thing("thing.updated", "a"))
                .await()
                .indefinitely();
        Long third = publisher.publish("thing.empty", m -> "{}").await().indefinitely();

        assertEquals(first + 1, second);
        assertEquals(first + 2, third);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertEquals("{\"seq\":" + first + ",\"type\":\"thing.created\",\"name\":\"a\"}", received.get(0));
        JsonNode updated = mapper.readTree(received.get(1));
        assertEquals(second, updated.path("seq").asLong());
        assertEquals("{\"seq\":" + third + "}", received.get(2));
        assertEquals(3, count("published"));
        assertEquals(
                String.valueOf(third),
                redis.value(String.class).get(sequenceKey).await().indefinitely());
    }

    @Test
    void anUnserialisableEventIsCountedAndItsSeqSkippedSoConsumersSeeTheGap() {
        EventPublisher publisher = new EventPublisher(redis, mapper, meters, channel, sequenceKey);
        Long before = publisher
                .publish("thing.created", new Thing("thing.created", "a"))
                .await()
                .indefinitely();

        assertNull(publisher
                .publish("thing.broken", m -> {
                    throw new JsonProcessingException("cannot") {};
                })
                .await()
                .indefinitely());
        assertNull(publisher.publish("thing.array", m -> "[1]").await().indefinitely());
        Long after = publisher
                .publish("thing.updated", new Thing("thing.updated", "a"))
                .await()
                .indefinitely();

        assertEquals(before + 3, after, "two numbers were taken by the events that could not be sent");
        assertEquals(2, count("unserialisable"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
    }

    @Test
    void anUnreachableRedisIsCountedAndNeverFailsTheCaller() {
        EventPublisher publisher = new EventPublisher(infra.unreachable(), mapper, meters, channel, sequenceKey);

        assertNull(publisher
                .publish("thing.created", new Thing("thing.created", "a"))
                .await()
                .atMost(Duration.ofSeconds(30)));
        assertNull(publisher.publish("thing.broken", m -> null).await().atMost(Duration.ofSeconds(30)));

        assertEquals(1, count("failed"));
        assertEquals(1, count("unserialisable"));
        assertEquals(List.of(), received);
    }
}
