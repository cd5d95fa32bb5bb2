package dev.switchboard.common.event;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/**
 * Redis clients for plain JUnit tests, without booting Quarkus: the Redis of {@code REDIS_URL}, else the local one on
 * 127.0.0.1:6379 (where CI starts it).
 */
final class TestRedis implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();

    /** @return the URL tests use */
    static String url() {
        String url = System.getenv("REDIS_URL");
        return url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url;
    }

    /** @return a data source on {@code url} */
    ReactiveRedisDataSource dataSource(String url) {
        Redis client = Redis.createClient(
                vertx,
                new RedisOptions().setConnectionString(url).setMaxPoolSize(4).setMaxPoolWaiting(64));
        return new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
    }

    /** @return a data source on a port where nothing listens */
    ReactiveRedisDataSource unreachable() {
        return dataSource("redis://127.0.0.1:1");
    }

    @Override
    public void close() {
        vertx.closeAndAwait();
    }
}
