package dev.switchboard.supervisor.ops;

import dev.switchboard.supervisor.sessions.GracefulShutdown;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness {@code shutdown}: DOWN from the moment the replica starts draining (SIGTERM), so traffic moves away. */
@Readiness
@ApplicationScoped
public class DrainingReadinessCheck implements AsyncHealthCheck {

    private final GracefulShutdown shutdown;

    DrainingReadinessCheck(GracefulShutdown shutdown) {
        this.shutdown = shutdown;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom()
                .item(() -> shutdown.isDraining()
                        ? HealthCheckResponse.named("shutdown")
                                .down()
                                .withData("draining", true)
                                .build()
                        : HealthCheckResponse.up("shutdown"));
    }
}
