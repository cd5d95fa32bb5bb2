package dev.switchboard.common.test;

import dev.switchboard.common.config.DatabaseUrlConfigSource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Provides real Redis and PostgreSQL to {@code @QuarkusTest}s, in this order: the URLs in
 * {@code REDIS_URL}/{@code DATABASE_URL} if set; containers through Testcontainers where a Docker engine
 * answers; else the local servers on 127.0.0.1:6379 and 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}). Dev Services stay off in every case.
 */
public class InfrastructureTestResource implements QuarkusTestResourceLifecycleManager {

    private static final String LOCAL_REDIS = "redis://127.0.0.1:6379";
    private static final String LOCAL_DATABASE = "postgresql://postgres@127.0.0.1:5432/test";

    private GenericContainer<?> redis;
    private GenericContainer<?> postgres;

    @Override
    public Map<String, String> start() {
        Infrastructure infra = resolve();
        Map<String, String> props = new HashMap<>(DatabaseUrlConfigSource.parse(infra.databaseUrl()));
        props.put("quarkus.redis.hosts", infra.redisUrl());
        props.put("quarkus.devservices.enabled", "false");
        props.putAll(TestCredentials.config());
        props.putAll(TestJwks.config());
        return props;
    }

    private Infrastructure resolve() {
        String redisUrl = System.getenv("REDIS_URL");
        String databaseUrl = System.getenv("DATABASE_URL");
        if (redisUrl != null && databaseUrl != null) {
            return new Infrastructure(redisUrl, databaseUrl);
        }
        if (dockerAvailable()) {
            if (redisUrl == null) {
                redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
                redis.start();
                redisUrl = "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
            }
            if (databaseUrl == null) {
                postgres = new GenericContainer<>("postgres:15-alpine")
                        .withEnv("POSTGRES_PASSWORD", "postgres")
                        .withEnv("POSTGRES_DB", "test")
                        .withExposedPorts(5432)
                        .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 2));
                postgres.start();
                databaseUrl = "postgresql://postgres:postgres@" + postgres.getHost() + ":"
                        + postgres.getMappedPort(5432) + "/test";
            }
        }
        return new Infrastructure(
                redisUrl != null ? redisUrl : LOCAL_REDIS, databaseUrl != null ? databaseUrl : LOCAL_DATABASE);
    }

    /** Asks Testcontainers only when a Docker endpoint plausibly exists, to keep local runs fast. */
    static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    private record Infrastructure(String redisUrl, String databaseUrl) {}
}
