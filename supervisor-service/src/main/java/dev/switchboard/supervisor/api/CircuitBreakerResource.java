package dev.switchboard.supervisor.api;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.supervisor.agents.AgentGuards;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/system/circuit-breakers}: the state of this replica's per-agent circuit breakers. */
@Path("/api/v1/system/circuit-breakers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "system")
// StorableParameters checks every query parameter, also those no method reads
@CommonProblems(CommonProblem.INVALID_TEXT)
public class CircuitBreakerResource {

    private final AgentGuards guards;

    CircuitBreakerResource(AgentGuards guards) {
        this.guards = guards;
    }

    /**
     * The breakers' list.
     *
     * @param timestamp       when the list was taken
     * @param circuitBreakers one entry per agent version called so far on this replica
     * @param open            how many are open
     */
    public record Breakers(Instant timestamp, List<AgentGuards.BreakerStatus> circuitBreakers, long open) {}

    /**
     * @return 200 {@code {"timestamp","circuit_breakers":[{"name","agent","version","kind","state","failure_threshold",
     *         "open_seconds","calls","failures","rejected","last_state_change"}],"open"}}; breakers are per replica
     */
    @GET
    @Operation(summary = "State of every per-agent circuit breaker of this replica (closed, open, half_open)")
    public Breakers circuitBreakers() {
        List<AgentGuards.BreakerStatus> all = guards.breakers();
        return new Breakers(
                Instant.now(),
                all,
                all.stream().filter(b -> "open".equals(b.state())).count());
    }
}
