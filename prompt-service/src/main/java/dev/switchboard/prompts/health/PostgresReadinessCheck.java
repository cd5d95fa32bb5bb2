package dev.switchboard.prompts.health;

import dev.switchboard.common.health.ReadinessProbes;
import dev.switchboard.prompts.service.PromptService;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when PostgreSQL (the source of truth) answers {@code SELECT 1} within two seconds. */
@Readiness
@ApplicationScoped
public class PostgresReadinessCheck implements AsyncHealthCheck {

    private final PromptService service;

    /** Constructor injection. */
    public PostgresReadinessCheck(PromptService service) {
        this.service = service;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbes.probe("postgresql", service.pingDatabase(), Duration.ofSeconds(2));
    }
}
