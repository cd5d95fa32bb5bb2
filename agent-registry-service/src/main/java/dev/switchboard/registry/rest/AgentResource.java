package dev.switchboard.registry.rest;

import static dev.switchboard.registry.RegistryProblem.AGENT_CARD_UNREACHABLE;
import static dev.switchboard.registry.RegistryProblem.AGENT_KIND_CONFLICT;
import static dev.switchboard.registry.RegistryProblem.AGENT_NOT_FOUND;
import static dev.switchboard.registry.RegistryProblem.AGENT_VERSION_NOT_FOUND;
import static dev.switchboard.registry.RegistryProblem.INVALID_AGENT_CARD;
import static dev.switchboard.registry.RegistryProblem.ROLLOUT_CONFLICT;

import dev.switchboard.common.auth.Callers;
import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.validation.Ids;
import dev.switchboard.registry.A2aRegistration;
import dev.switchboard.registry.Agent;
import dev.switchboard.registry.AgentDefinition;
import dev.switchboard.registry.AgentStatus;
import dev.switchboard.registry.PromoteRequest;
import dev.switchboard.registry.RollbackRequest;
import dev.switchboard.registry.RolloutChange;
import dev.switchboard.registry.VersionDefinition;
import dev.switchboard.registry.event.AgentEventPublisher;
import dev.switchboard.registry.service.AgentService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Agent registry API: list, read, register (idempotent; also A2A by card), replace, delete, status, heartbeat, versions and rollout, event stream. */
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "agents")
@RolesAllowed(Roles.ADMIN)
public class AgentResource {

    /**
     * A capability in the query: 1..64 characters, none of them blank, a control character (PostgreSQL can neither
     * store nor compare U+0000) or an unpaired surrogate.
     */
    static final String CAPABILITY = "[^\\s\\p{Cc}\\p{Cs}]{1,64}";

    /** A version in the path: 1..64 characters, none of them a control character or an unpaired surrogate. */
    static final String VERSION = "[^\\p{Cc}\\p{Cs}]{1,64}";

    private final AgentService service;
    private final AgentEventPublisher events;

    /** Constructor injection. */
    public AgentResource(AgentService service, AgentEventPublisher events) {
        this.service = service;
        this.events = events;
    }

    /**
     * {@code GET /agents?capability=&status=} → {@code {"agents":[...],"count":N}} sorted by name.
     * 400 {@code validation-failed} on an unknown status.
     */
    @GET
    @Operation(summary = "List agents, optionally by capability and status")
    @RolesAllowed({Roles.SERVICE, Roles.ADMIN})
    public Uni<AgentList> listAgents(
            @QueryParam("capability")
                    @Pattern(
                            regexp = CAPABILITY,
                            message = "must be 1..64 characters, none blank or a control character")
                    String capability,
            @QueryParam("status") @Pattern(regexp = AgentStatus.PATTERN, message = AgentStatus.MESSAGE) String status) {
        return service.listAgents(capability, status).map(agents -> new AgentList(agents, agents.size()));
    }

    /**
     * {@code GET /agents/events}: Server-Sent Events, one {@code data:} line per agent event published from now on
     * (the JSON of {@code sb:events:agents}, with {@code seq}), for operators ({@code curl -N}).
     */
    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    @Operation(summary = "Stream agent events (SSE)")
    @RolesAllowed({Roles.SERVICE, Roles.ADMIN})
    public Multi<String> streamEvents() {
        return events.stream();
    }

    /** {@code GET /agents/{name}} → the agent; 404 {@code agent-not-found}. */
    @GET
    @Path("{name}")
    @Operation(summary = "Get one agent")
    @RegistryProblems(AGENT_NOT_FOUND)
    @RolesAllowed({Roles.SERVICE, Roles.ADMIN})
    public Uni<Agent> getAgent(@PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name) {
        return service.findAgent(name);
    }

    /**
     * {@code POST /agents}: idempotent register by name → 201 + {@code Location} when new, 200 when it existed
     * (updated if the body differs, untouched if not); 400 {@code validation-failed}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an agent (idempotent upsert by name)")
    @APIResponse(
            responseCode = "201",
            description = "A new agent, with Location",
            content = @Content(schema = @Schema(implementation = Agent.class)))
    @APIResponse(responseCode = "200", description = "The agent existed: updated if the body differs, else untouched")
    public Uni<RestResponse<Agent>> registerAgent(@NotNull @Valid AgentDefinition definition) {
        return service.registerAgent(definition)
                .map(registration -> registration.created()
                        ? RestResponse.ResponseBuilder.<Agent>created(URI.create(
                                        "/agents/" + registration.agent().name()))
                                .entity(registration.agent())
                                .build()
                        : RestResponse.ok(registration.agent()));
    }

    /**
     * {@code POST /agents/a2a {"card_url"}}: registers an A2A agent from its Agent Card → 201 + {@code Location} when
     * new, 200 when it existed; 502 {@code agent-card-unreachable}; 422 {@code invalid-agent-card}; 409
     * {@code agent-kind-conflict} (an agent of another kind has the name); 400 (also a card or endpoint URL whose
     * address is not allowed).
     */
    @POST
    @Path("a2a")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an A2A agent by the URL of its Agent Card")
    @APIResponse(
            responseCode = "201",
            description = "A new agent of kind a2a, with Location",
            content = @Content(schema = @Schema(implementation = Agent.class)))
    @APIResponse(responseCode = "200", description = "The agent existed; updated from the card if it changed")
    @RegistryProblems({INVALID_AGENT_CARD, AGENT_CARD_UNREACHABLE, AGENT_KIND_CONFLICT})
    public Uni<RestResponse<Agent>> registerA2aAgent(@NotNull @Valid A2aRegistration registration) {
        return service.registerA2aAgent(registration)
                .map(r -> r.created()
                        ? RestResponse.ResponseBuilder.<Agent>created(
                                        URI.create("/agents/" + r.agent().name()))
                                .entity(r.agent())
                                .build()
                        : RestResponse.ok(r.agent()));
    }

    /**
     * {@code POST /agents/{name}/versions {"version","weight"?,"endpoint"?,"prompt_id"?,"model"?}} → 200 agent with
     * its {@code versions}; 404; 409 {@code rollout-conflict} (stable version, weights above 100).
     */
    @POST
    @Path("{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register or replace a canary version of an agent")
    @RegistryProblems({AGENT_NOT_FOUND, ROLLOUT_CONFLICT})
    public Uni<Agent> registerVersion(
            @PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
            @NotNull @Valid VersionDefinition definition) {
        return service.registerVersion(name, definition);
    }

    /** {@code DELETE /agents/{name}/versions/{version}} → 200 agent; 404 {@code agent-version-not-found}. */
    @DELETE
    @Path("{name}/versions/{version}")
    @Operation(summary = "Remove a canary version")
    @RegistryProblems({AGENT_NOT_FOUND, AGENT_VERSION_NOT_FOUND})
    public Uni<Agent> deleteVersion(
            @PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
            @PathParam("version")
                    @Pattern(regexp = VERSION, message = "must be 1..64 characters, none a control character")
                    String version) {
        return service.deleteVersion(name, version);
    }

    /**
     * {@code POST /agents/{name}/rollout {"version","weight"}} → 200 agent; 404; 409 {@code rollout-conflict}.
     * A gradual cutover steps through 10, 25, 50, 75, 90, 100.
     */
    @POST
    @Path("{name}/rollout")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a canary version's traffic weight (percent of new sessions)")
    @RegistryProblems({AGENT_NOT_FOUND, AGENT_VERSION_NOT_FOUND, ROLLOUT_CONFLICT})
    public Uni<Agent> rollout(
            @PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
            @NotNull @Valid RolloutChange change) {
        return service.rollout(name, change);
    }

    /** {@code POST /agents/{name}/promote {"version"}} → 200 agent (the canary is now stable); 404. */
    @POST
    @Path("{name}/promote")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Promote a canary version to stable")
    @RegistryProblems({AGENT_NOT_FOUND, AGENT_VERSION_NOT_FOUND})
    public Uni<Agent> promote(
            @PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
            @NotNull @Valid PromoteRequest request) {
        return service.promote(name, request.version());
    }

    /**
     * {@code POST /agents/{name}/rollback {"version"?,"reason"?}} ({@code {}}: all canaries) → 200 agent with the
     * canary at weight 0; idempotent; 404.
     */
    @POST
    @Path("{name}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Roll a canary (or all) back to weight 0")
    @RegistryProblems({AGENT_NOT_FOUND, AGENT_VERSION_NOT_FOUND})
    @RolesAllowed({Roles.SERVICE, Roles.ADMIN})
    public Uni<Agent> rollback(
            @PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
            @Valid RollbackRequest request) {
        return service.rollback(name, request);
    }

    /** {@code PUT /agents/{name}} → 200 updated agent; 404 {@code agent-not-found}; 400 {@code validation-failed}. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an existing agent's definition")
    @RegistryProblems(AGENT_NOT_FOUND)
    public Uni<Agent> updateAgent(
            @PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
            @NotNull @Valid AgentDefinition definition) {
        return service.updateAgent(name, definition);
    }

    /** {@code DELETE /agents/{name}} → 204; 404 {@code agent-not-found}. */
    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete an agent")
    @RegistryProblems(AGENT_NOT_FOUND)
    public Uni<Void> deleteAgent(@PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name) {
        return service.deleteAgent(name);
    }

    /** {@code POST /agents/{name}/status {"status":"inactive"}} → 200 agent; 400 unknown status; 404. */
    @POST
    @Path("{name}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an agent's status")
    @RegistryProblems(AGENT_NOT_FOUND)
    @RolesAllowed({Roles.SERVICE, Roles.ADMIN})
    public Uni<Agent> changeStatus(
            @PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
            @NotNull @Valid StatusChange change) {
        return service.changeStatus(name, change.status());
    }

    /**
     * {@code POST /agents/{name}/heartbeat} (no body) → 200 {@code {"name","status","last_heartbeat"}}; 404. An
     * {@code agent} credential heartbeats only the agent it is named after (403 otherwise), so one agent's key
     * cannot keep another, dead agent in the routing table.
     */
    @POST
    @Path("{name}/heartbeat")
    @Operation(summary = "Record a heartbeat; an unhealthy agent becomes active")
    @RegistryProblems(AGENT_NOT_FOUND)
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.ADMIN})
    public Uni<HeartbeatAck> recordHeartbeat(
            @PathParam("name") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
            @Context SecurityContext caller) {
        Callers.requireSelfOrPrivileged(caller, name);
        return service.recordHeartbeat(name)
                .map(beat -> new HeartbeatAck(beat.name(), beat.status(), beat.lastHeartbeat()));
    }
}
