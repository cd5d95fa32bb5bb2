package dev.switchboard.common.event;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain JUnit against real Redis: delivery, re-subscribing after a lost connection, back-off, clean close. */
class ChannelSubscriptionTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String channel = "t-sub-" + UUID.randomUUID();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger resubscribed = new AtomicInteger();
    private TestRedis infra;
    private ReactiveRedisDataSource redis;

    @BeforeEach
    void connect() {
        infra = new TestRedis();
        redis = infra.dataSource(TestRedis.url());
    }

    @AfterEach
    void disconnect() {
        infra.close();
    }

    private void publish(String message) {
        redis.pubsub(String.class).publish(channel, message).await().atMost(WAIT);
    }

    private Set<String> pubsubClientIds() {
        Set<String> ids = new HashSet<>();
        Response list =
                redis.execute("CLIENT", "LIST", "TYPE", "pubsub").await().atMost(WAIT);
        for (String line : list.toString().split("\n")) {
            for (String field : line.split(" ")) {
                if (field.startsWith("id=")) {
                    ids.add(field.substring(3));
                }
            }
        }
        return ids;
    }

    @Test
    void deliversMessagesUntilClosed() {
        ChannelSubscription subscription = ChannelSubscription.open(redis, channel, received::add, null);
        await().atMost(WAIT).until(subscription::isSubscribed);

        publish("one");
        await().atMost(WAIT).until(() -> received.equals(List.of("one")));

        subscription.close();
        subscription.close();
        assertFalse(subscription.isSubscribed());
        await().atMost(WAIT)
                .until(() -> redis.execute("PUBSUB", "NUMSUB", channel)
                                .await()
                                .atMost(WAIT)
                                .get(1)
                                .toLong()
                        == 0);
        publish("two");
        assertEquals(List.of("one"), received);
    }

    @Test
    void subscribesAgainAfterItsConnectionIsKilledAndSaysSo() {
        Set<String> before = pubsubClientIds();
        ChannelSubscription subscription = ChannelSubscription.open(
                redis,
                channel,
                received::add,
                resubscribed::incrementAndGet,
                Duration.ofMillis(50),
                Duration.ofMillis(200));
        try {
            await().atMost(WAIT).until(subscription::isSubscribed);
            List<String> ours = new ArrayList<>(pubsubClientIds());
            ours.removeAll(before);
            assertEquals(1, ours.size(), "one new pub/sub connection: " + ours);

            redis.execute("CLIENT", "KILL", "ID", ours.get(0)).await().atMost(WAIT);

            await().atMost(WAIT).until(() -> resubscribed.get() == 1 && subscription.isSubscribed());
            assertEquals(0, subscription.failures());
            publish("after");
            await().atMost(WAIT).until(() -> received.contains("after"));
            assertEquals(1, resubscribed.get(), "one loss, one new subscription");
        } finally {
            subscription.close();
        }
    }

    @Test
    void keepsTryingWithBoundedBackOffWhileRedisIsDownAndStopsWhenClosed() {
        ChannelSubscription subscription = ChannelSubscription.open(
                infra.unreachable(),
                channel,
                received::add,
                resubscribed::incrementAndGet,
                Duration.ofMillis(20),
                Duration.ofMillis(80));

        await().atMost(WAIT).until(() -> subscription.failures() >= 5);
        assertFalse(subscription.isSubscribed());
        subscription.close();
        int failures = subscription.failures();
        // for five times the longest back-off, no attempt may start after close
        await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> subscription.failures() == failures);
        assertEquals(0, resubscribed.get());
    }

    @Test
    void aHandlerThatThrowsDoesNotEndTheSubscription() {
        ChannelSubscription subscription = ChannelSubscription.open(
                redis,
                channel,
                message -> {
                    if (message.equals("bad")) {
                        throw new IllegalStateException("handler bug");
                    }
                    received.add(message);
                },
                null);
        try {
            await().atMost(WAIT).until(subscription::isSubscribed);
            publish("bad");
            publish("good");
            await().atMost(WAIT).until(() -> received.equals(List.of("good")));
            assertTrue(subscription.isSubscribed());
        } finally {
            subscription.close();
        }
    }

    @Test
    void refusesABackOffOutsideItsBounds() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ChannelSubscription.open(
                        redis, channel, received::add, null, Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> ChannelSubscription.open(
                        redis, channel, received::add, null, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
