package dev.switchboard.supervisor.api;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.supervisor.ops.SystemStats;
import dev.switchboard.supervisor.ops.SystemStatsService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /system/stats}: cluster-wide statistics, the same from any replica. */
@Path("/system")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "system", description = "Cluster statistics and this replica's circuit breakers")
// StorableParameters checks every query parameter, also those no method reads
@CommonProblems(CommonProblem.INVALID_TEXT)
public class SystemResource {

    private final SystemStatsService stats;

    SystemResource(SystemStatsService stats) {
        this.stats = stats;
    }

    /**
     * @return 200 {@code {"timestamp","supervisor_id","instances":[...],"instances_up","sessions_active",
     *         "messages_per_second","turns_last_minute","agents":{"total","by_status"},
     *         "routing":{"by_method","by_agent"},"errors":{"total","by_type"},"window_seconds"}}
     */
    @GET
    @Path("stats")
    @Operation(summary = "Cluster-wide statistics: replicas, sessions, throughput, agents, routing, errors (last 60 s)")
    public Uni<SystemStats> systemStats() {
        return stats.clusterStats();
    }
}
