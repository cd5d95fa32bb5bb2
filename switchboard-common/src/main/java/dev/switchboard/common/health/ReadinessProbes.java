package dev.switchboard.common.health;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** The readiness check of one dependency, shared by the services' {@code @Readiness} checks. */
public final class ReadinessProbes {

    private ReadinessProbes() {
    }

    /**
     * Turns a ping of a dependency into a health check response.
     *
     * @param name    the check's name in {@code /q/health/ready}, e.g. {@code redis} or {@code postgresql}
     * @param ping    the ping (Redis {@code PING}, PostgreSQL {@code SELECT 1}); any item counts as up
     * @param timeout how long the ping may take before the dependency counts as down
     * @return UP, or DOWN with {@code error} = the failure's class name (never its message); never fails
     */
    public static Uni<HealthCheckResponse> probe(String name, Uni<?> ping, Duration timeout) {
        return ping.ifNoItem().after(timeout).fail()
                .map(ignored -> HealthCheckResponse.up(name))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(name).down()
                        .withData("error", e.getClass().getSimpleName()).build());
    }
}
