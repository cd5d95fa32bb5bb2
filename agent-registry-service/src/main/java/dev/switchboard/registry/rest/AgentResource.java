package dev.switchboard.registry.rest;

import dev.switchboard.common.validation.Ids;
import dev.switchboard.registry.Agent;
import dev.switchboard.registry.AgentDefinition;
import dev.switchboard.registry.AgentStatus;
import dev.switchboard.registry.service.AgentService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Agent registry API: list, read, register (idempotent), replace, delete, status, heartbeat. */
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "agents")
public class AgentResource {

    private final AgentService service;

    /** Constructor injection. */
    public AgentResource(AgentService service) {
        this.service = service;
    }

    /**
     * {@code GET /agents?capability=&status=} → {@code {"agents":[...],"count":N}} sorted by name.
     * 400 {@code validation-failed} on an unknown status.
     */
    @GET
    @Operation(summary = "List agents, optionally by capability and status")
    public Uni<AgentList> listAgents(
            @QueryParam("capability") @Pattern(regexp = "[^\\s]{1,64}", message = "must be 1..64 non-blank characters") String capability,
            @QueryParam("status") @Pattern(regexp = AgentStatus.PATTERN, message = AgentStatus.MESSAGE) String status) {
        return service.listAgents(capability, status).map(agents -> new AgentList(agents, agents.size()));
    }

    /** {@code GET /agents/{name}} → the agent; 404 {@code agent-not-found}. */
    @GET
    @Path("{name}")
    @Operation(summary = "Get one agent")
    public Uni<Agent> getAgent(@PathParam("name") @Pattern(regexp = Ids.PATTERN,
            message = Ids.MESSAGE) String name) {
        return service.findAgent(name);
    }

    /**
     * {@code POST /agents}: idempotent register by name → 201 + {@code Location} when new, 200 when it existed
     * (updated if the body differs, untouched if not); 400 {@code validation-failed}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an agent (idempotent upsert by name)")
    public Uni<RestResponse<Agent>> registerAgent(@NotNull @Valid AgentDefinition definition) {
        return service.registerAgent(definition).map(registration -> registration.created()
                ? RestResponse.ResponseBuilder.<Agent>created(URI.create("/agents/" + registration.agent().name()))
                        .entity(registration.agent()).build()
                : RestResponse.ok(registration.agent()));
    }

    /** {@code PUT /agents/{name}} → 200 updated agent; 404 {@code agent-not-found}; 400 {@code validation-failed}. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an existing agent's definition")
    public Uni<Agent> updateAgent(@PathParam("name") @Pattern(regexp = Ids.PATTERN,
            message = Ids.MESSAGE) String name, @NotNull @Valid AgentDefinition definition) {
        return service.updateAgent(name, definition);
    }

    /** {@code DELETE /agents/{name}} → 204; 404 {@code agent-not-found}. */
    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete an agent")
    public Uni<Void> deleteAgent(@PathParam("name") @Pattern(regexp = Ids.PATTERN,
            message = Ids.MESSAGE) String name) {
        return service.deleteAgent(name);
    }

    /** {@code POST /agents/{name}/status {"status":"inactive"}} → 200 agent; 400 unknown status; 404. */
    @POST
    @Path("{name}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an agent's status")
    public Uni<Agent> changeStatus(@PathParam("name") @Pattern(regexp = Ids.PATTERN,
            message = Ids.MESSAGE) String name, @NotNull @Valid StatusChange change) {
        return service.changeStatus(name, change.status());
    }

    /** {@code POST /agents/{name}/heartbeat} (no body) → 200 {@code {"name","status","last_heartbeat"}}; 404. */
    @POST
    @Path("{name}/heartbeat")
    @Operation(summary = "Record a heartbeat; an unhealthy agent becomes active")
    public Uni<HeartbeatAck> recordHeartbeat(@PathParam("name") @Pattern(regexp = Ids.PATTERN,
            message = Ids.MESSAGE) String name) {
        return service.recordHeartbeat(name)
                .map(beat -> new HeartbeatAck(beat.name(), beat.status(), beat.lastHeartbeat()));
    }
}
