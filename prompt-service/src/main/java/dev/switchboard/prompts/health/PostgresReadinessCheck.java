package dev.switchboard.prompts.health;

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
        return service.pingDatabase()
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .map(ignored -> HealthCheckResponse.up("postgresql"))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("postgresql").down()
                        .withData("error", e.getClass().getSimpleName()).build());
    }
}
