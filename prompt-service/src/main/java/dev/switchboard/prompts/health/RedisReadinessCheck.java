package dev.switchboard.prompts.health;

import dev.switchboard.common.health.ReadinessProbes;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when Redis (the event channel) answers {@code PING} within two seconds. */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements AsyncHealthCheck {

    private final ReactiveRedisDataSource redis;

    /** Constructor injection. */
    public RedisReadinessCheck(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbes.probe("redis", redis.execute("PING"), Duration.ofSeconds(2));
    }
}
