package dev.switchboard.state.health;

import dev.switchboard.common.health.ReadinessProbes;
import dev.switchboard.state.store.SessionStore;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while Redis answers PING (sessions are served from it). */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements AsyncHealthCheck {

    private final SessionStore store;

    /** @param store the Redis session store */
    public RedisReadinessCheck(SessionStore store) {
        this.store = store;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbes.probe("redis", store.ping(), Duration.ofSeconds(2));
    }
}
