package dev.switchboard.registry.rest;

import static dev.switchboard.registry.RegistryProblem.SUPERVISOR_NOT_FOUND;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.validation.Ids;
import dev.switchboard.registry.SupervisorInstance;
import dev.switchboard.registry.SupervisorRegistration;
import dev.switchboard.registry.service.SupervisorService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Supervisor instances: register (idempotent), heartbeat, deregister, list (cluster view for {@code /system/stats}). */
@Path("/supervisors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "supervisors")
@RolesAllowed({Roles.SERVICE, Roles.ADMIN})
public class SupervisorResource {

    private final SupervisorService service;

    /** Constructor injection. */
    public SupervisorResource(SupervisorService service) {
        this.service = service;
    }

    /**
     * {@code GET /supervisors?status=up|stale} → {@code {"supervisors":[{"id","host","port","version","capacity",
     * "active_sessions","status","started_at","last_heartbeat"}],"count":N}} sorted by id; 400 on another status.
     */
    @GET
    @Operation(summary = "List supervisor instances with their live status")
    public Uni<SupervisorList> listSupervisors(
            @QueryParam("status") @Pattern(regexp = "up|stale", message = "must be up or stale") String status) {
        return service.listSupervisors(status).map(list -> new SupervisorList(list, list.size()));
    }

    /**
     * {@code POST /supervisors}: idempotent register by id → 201 + {@code Location} when new, 200 when it existed
     * (replaced: a restart or a re-registration); 400 {@code validation-failed}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a supervisor instance (idempotent upsert by id)")
    @APIResponse(
            responseCode = "201",
            description = "A new instance, with Location",
            content = @Content(schema = @Schema(implementation = SupervisorInstance.class)))
    @APIResponse(responseCode = "200", description = "The instance existed and was replaced (a restart)")
    public Uni<RestResponse<SupervisorInstance>> registerSupervisor(
            @NotNull @Valid SupervisorRegistration registration) {
        return service.registerSupervisor(registration)
                .map(write -> write.created()
                        ? RestResponse.ResponseBuilder.<SupervisorInstance>created(URI.create(
                                        "/supervisors/" + write.instance().id()))
                                .entity(write.instance())
                                .build()
                        : RestResponse.ok(write.instance()));
    }

    /**
     * {@code POST /supervisors/{id}/heartbeat {"active_sessions","capacity"?}} → 200 instance; 404
     * {@code supervisor-not-found} (the instance must register again); 400 {@code validation-failed}.
     */
    @POST
    @Path("{id}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a supervisor heartbeat with its active sessions")
    @RegistryProblems(SUPERVISOR_NOT_FOUND)
    public Uni<SupervisorInstance> recordHeartbeat(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @NotNull @Valid SupervisorHeartbeat heartbeat) {
        return service.recordHeartbeat(id, heartbeat.activeSessions(), heartbeat.capacity());
    }

    /** {@code DELETE /supervisors/{id}} → 204; 404 {@code supervisor-not-found}. */
    @DELETE
    @Path("{id}")
    @Operation(summary = "Deregister a supervisor instance")
    @RegistryProblems(SUPERVISOR_NOT_FOUND)
    public Uni<Void> deregisterSupervisor(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        return service.deregisterSupervisor(id);
    }
}
