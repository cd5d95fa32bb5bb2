package dev.switchboard.supervisor.api;

import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.sessions.AdmissionControl;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /health}: the summary clients of the original supervisor read (the probes live under {@code /q/health}). */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "health", description = "This replica's summary")
// StorableParameters checks every query parameter, also those no method reads
@CommonProblems(CommonProblem.INVALID_TEXT)
public class HealthResource {

    private final AgentCache agents;
    private final AdmissionControl admission;

    HealthResource(AgentCache agents, AdmissionControl admission) {
        this.agents = agents;
        this.admission = admission;
    }

    /**
     * Summary of this replica.
     *
     * @param status           {@code healthy} when the agent cache is synced and has an active agent, else
     *                         {@code degraded}
     * @param timestamp        ISO-8601 UTC, seconds precision
     * @param agentsAvailable  active agents in the cache
     * @param supervisorStatus {@code available}, or {@code busy} when every concurrency slot is taken
     */
    public record HealthSummary(String status, String timestamp, int agentsAvailable, String supervisorStatus) {}

    /** @return 200 {@code {"status","timestamp","agents_available","supervisor_status"}} */
    @GET
    @Operation(summary = "Summary of this replica: agent cache and concurrency slots (probes: /q/health)")
    public HealthSummary health() {
        int active = agents.activeCount();
        return new HealthSummary(
                agents.isSynced() && active > 0 ? "healthy" : "degraded",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                active,
                admission.isBusy() ? "busy" : "available");
    }
}
