package dev.switchboard.state.health;

import dev.switchboard.state.repository.CheckpointRepository;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while PostgreSQL answers {@code SELECT 1} (every write is a checkpoint insert). */
@Readiness
@ApplicationScoped
public class PostgresReadinessCheck implements AsyncHealthCheck {

    private final CheckpointRepository repository;

    /** @param repository the checkpoint repository */
    public PostgresReadinessCheck(CheckpointRepository repository) {
        this.repository = repository;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return repository.ping()
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .map(one -> HealthCheckResponse.up("postgresql"))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("postgresql").down()
                        .withData("error", e.getClass().getSimpleName()).build());
    }
}
