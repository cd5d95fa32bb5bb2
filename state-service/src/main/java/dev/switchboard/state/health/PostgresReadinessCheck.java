package dev.switchboard.state.health;

import dev.switchboard.common.health.ReadinessProbes;
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
        return ReadinessProbes.probe("postgresql", repository.ping(), Duration.ofSeconds(2));
    }
}
