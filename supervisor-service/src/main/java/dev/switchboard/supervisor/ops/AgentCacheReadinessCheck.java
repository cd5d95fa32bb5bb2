package dev.switchboard.supervisor.ops;

import dev.switchboard.supervisor.agents.AgentCache;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the agent cache synced with agent-registry-service at least once (routing needs it). */
@Readiness
@ApplicationScoped
public class AgentCacheReadinessCheck implements AsyncHealthCheck {

    private final AgentCache cache;

    AgentCacheReadinessCheck(AgentCache cache) {
        this.cache = cache;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var builder = HealthCheckResponse.named("agent-registry-cache")
                .status(cache.isSynced())
                .withData("agents", cache.agents().size())
                .withData("active_agents", cache.activeCount());
        if (cache.lastSync() != null) {
            builder.withData("last_sync", cache.lastSync().toString());
        }
        return Uni.createFrom().item(builder.build());
    }
}
