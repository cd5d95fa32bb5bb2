package dev.switchboard.registry.health;

import dev.switchboard.registry.repository.AgentRepository;
import dev.switchboard.registry.store.AgentCache;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when PostgreSQL ({@code SELECT 1}) and Redis ({@code PING}) both answer within 2 s; non-blocking. */
@Readiness
@ApplicationScoped
public class RegistryReadinessCheck implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final AgentRepository repository;
    private final AgentCache cache;

    /** Constructor injection. */
    public RegistryReadinessCheck(AgentRepository repository, AgentCache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        Uni<Boolean> postgres = repository.ping().ifNoItem().after(TIMEOUT).fail()
                .map(one -> true).onFailure().recoverWithItem(false);
        Uni<Boolean> redis = cache.ping().ifNoItem().after(TIMEOUT).fail()
                .map(pong -> true).onFailure().recoverWithItem(false);
        return Uni.combine().all().unis(postgres, redis).with((pg, rd) -> HealthCheckResponse.named("agent-registry")
                .status(pg && rd)
                .withData("postgresql", pg ? "up" : "down")
                .withData("redis", rd ? "up" : "down")
                .build());
    }
}
