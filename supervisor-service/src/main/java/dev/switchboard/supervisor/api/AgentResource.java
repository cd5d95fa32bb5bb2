package dev.switchboard.supervisor.api;

import static dev.switchboard.supervisor.problem.SupervisorProblem.AGENT_NOT_FOUND;
import static dev.switchboard.supervisor.problem.SupervisorProblem.DEPENDENCY_TIMEOUT;
import static dev.switchboard.supervisor.problem.SupervisorProblem.DEPENDENCY_UNAVAILABLE;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.validation.Ids;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.peers.AgentRegistryClient;
import dev.switchboard.supervisor.peers.RegistryAgent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /agents} (seed shape, from the local cache) and {@code POST /agents/{name}/status} (proxied). */
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "agents", description = "Registered agents (from the local cache) and their status")
// StorableParameters checks every path and query parameter
@CommonProblems(CommonProblem.INVALID_TEXT)
@SupervisorProblems({DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT})
public class AgentResource {

    private final AgentCache cache;
    private final AgentRegistryClient registry;

    AgentResource(AgentCache cache, AgentRegistryClient registry) {
        this.cache = cache;
        this.registry = registry;
    }

    /**
     * One agent in the map clients of the original supervisor read.
     *
     * @param description  what it does
     * @param capabilities capability tags
     * @param status       active, inactive, draining, unhealthy
     * @param version      agent version
     */
    public record AgentSummary(String description, List<String> capabilities, String status, String version) {}

    /**
     * The shape clients of the original supervisor read: {@code {"agents":{"<name>":{"description","capabilities","status","version"}}}}.
     *
     * @param agents agents by name, sorted by name
     */
    public record AgentMap(Map<String, AgentSummary> agents) {}

    /**
     * {@code status} body of the status change.
     *
     * @param status active, inactive, draining or unhealthy (validated by the registry: 400 otherwise)
     */
    public record StatusChange(
            @NotBlank(message = "must not be blank") String status) {}

    /**
     * Every registered agent (any status). Served from the cache; before the first sync, asked from the
     * registry (503/504 when it is down).
     */
    @GET
    @RolesAllowed({Roles.USER, Roles.ADMIN})
    @Operation(summary = "Every registered agent, any status (asked from agent-registry-service before the first sync)")
    public Uni<AgentMap> listAgents() {
        if (cache.isSynced()) {
            return Uni.createFrom().item(toMap(cache.agents().values()));
        }
        return registry.listAgents()
                .map(list ->
                        toMap(list.stream().map(RegistryAgent::toDescriptor).toList()));
    }

    /**
     * Proxies {@code POST /agents/{name}/status} to the registry and refreshes the local cache.
     *
     * @return the registry's agent object; 404 agent-not-found, 400 for an unknown status
     */
    @POST
    @Path("/{name}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an agent's status in agent-registry-service (admin)")
    @SupervisorProblems(AGENT_NOT_FOUND)
    public Uni<RegistryAgent> changeStatus(
            @PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
            @NotNull(message = "a JSON body is required") @Valid StatusChange change) {
        return registry.changeStatus(name, change.status())
                .invoke(agent -> cache.requestRefresh("status change of " + name));
    }

    private static AgentMap toMap(Collection<AgentDescriptor> agents) {
        Map<String, AgentSummary> byName = new LinkedHashMap<>();
        agents.stream()
                .sorted(java.util.Comparator.comparing(AgentDescriptor::name))
                .forEach(a -> byName.put(
                        a.name(), new AgentSummary(a.description(), a.capabilities(), a.status(), a.version())));
        return new AgentMap(byName);
    }
}
