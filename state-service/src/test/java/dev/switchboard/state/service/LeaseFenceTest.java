package dev.switchboard.state.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.state.config.StateConfig;
import dev.switchboard.state.store.LeaseStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plain JUnit: when Redis cannot tell the session's lease, a fenced write is not failed (PostgreSQL's highest token,
 * checked before, still fences it), and the skipped check is counted.
 */
class LeaseFenceTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        vertx.closeAndAwait();
    }

    @Test
    void unreachableRedisLetsTheWriteGoOnAndCountsTheSkippedCheck() {
        LeaseFence fence = fenceOn("redis://127.0.0.1:1");

        fence.check("s-1", 42L).await().atMost(Duration.ofSeconds(10));

        assertEquals(1.0, unchecked());
    }

    @Test
    void redisSilentPastTheTimeoutLetsTheWriteGoOnWithinTheTimeout() throws IOException {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(silent);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                while (!silent.isClosed()) {
                    accepted.add(silent.accept()); // connected, never answered
                }
            } catch (IOException e) {
                // closed by the test
            }
        });
        closeables.add(() -> {
            silent.close();
            for (Socket s : accepted) {
                s.close();
            }
            acceptor.join(1000);
        });
        LeaseFence fence = fenceOn("redis://127.0.0.1:" + silent.getLocalPort());

        long start = System.nanoTime();
        fence.check("s-1", 42L).await().atMost(Duration.ofSeconds(10));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(1.0, unchecked());
        assertTrue(elapsedMs < 5_000, "bounded by the lease check timeout, took " + elapsedMs + " ms");
    }

    @Test
    void unfencedWritesDoNotAskRedis() {
        LeaseFence fence = fenceOn("redis://127.0.0.1:1");

        fence.check("s-1", null).await().atMost(Duration.ofSeconds(1));

        assertEquals(0.0, unchecked());
    }

    private double unchecked() {
        return meters.counter("switchboard.state.fencing.lease.unchecked").count();
    }

    private LeaseFence fenceOn(String url) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
        LeaseStore store = new LeaseStore(new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client)));
        return new LeaseFence(store, config(), meters);
    }

    /** A config answering only the lease check timeout (the one setting {@link LeaseFence} reads). */
    private static StateConfig config() {
        return (StateConfig) Proxy.newProxyInstance(
                StateConfig.class.getClassLoader(), new Class<?>[] {StateConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("leaseCheckTimeout")) {
                        return TIMEOUT;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
