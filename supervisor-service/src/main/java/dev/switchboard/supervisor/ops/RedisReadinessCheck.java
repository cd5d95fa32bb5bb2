package dev.switchboard.supervisor.ops;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: Redis answers PING within 1 s (rate limits and events depend on it). */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements AsyncHealthCheck {

    private final ReactiveRedisDataSource redis;

    RedisReadinessCheck(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING")
                .map(reply -> HealthCheckResponse.up("redis"))
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("redis").down()
                        .withData("error", String.valueOf(failure.getMessage())).build());
    }
}
