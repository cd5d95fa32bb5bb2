package dev.switchboard.supervisor.ops;

import dev.switchboard.supervisor.peers.PromptClient;
import dev.switchboard.supervisor.peers.StateClient;
import io.smallrye.health.api.AsyncHealthCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: state-service and prompt-service answer their liveness endpoint within 1 s. */
@ApplicationScoped
public class PeerReadinessChecks {

    @Produces
    @Readiness
    @ApplicationScoped
    AsyncHealthCheck stateService(StateClient state) {
        return () -> state.ping()
                .map(up -> HealthCheckResponse.named("state-service").status(up).build());
    }

    @Produces
    @Readiness
    @ApplicationScoped
    AsyncHealthCheck promptService(PromptClient prompts) {
        return () -> prompts.ping()
                .map(up ->
                        HealthCheckResponse.named("prompt-service").status(up).build());
    }
}
