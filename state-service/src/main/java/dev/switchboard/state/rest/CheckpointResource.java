package dev.switchboard.state.rest;

import static dev.switchboard.state.StateProblem.CHECKPOINT_NOT_FOUND;
import static dev.switchboard.state.StateProblem.DEPENDENCY_UNAVAILABLE;
import static dev.switchboard.state.StateProblem.SESSION_EXISTS;
import static dev.switchboard.state.StateProblem.SESSION_NOT_FOUND;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.validation.Ids;
import dev.switchboard.state.Checkpoint;
import dev.switchboard.state.CheckpointPage;
import dev.switchboard.state.ForkRequest;
import dev.switchboard.state.Session;
import dev.switchboard.state.service.CheckpointService;
import dev.switchboard.state.service.SessionService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A session's checkpoints: newest-first pages, single snapshots and forks. {@code /threads/{thread_id}}: the session
 * and its id, under the names LangGraph users migrate from; the parameter is {@code threadId} in Java too, because a
 * validation error names the field after it ({@code thread_id}, as in the path).
 */
@Path("/threads/{thread_id}/checkpoints")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "checkpoints")
@RolesAllowed({Roles.SERVICE, Roles.ADMIN})
// every operation needs PostgreSQL (the source of truth): 503 while it is unreachable or silent past DB_TIMEOUT
@StateProblems(DEPENDENCY_UNAVAILABLE)
public class CheckpointResource {

    private final CheckpointService checkpoints;
    private final SessionService sessions;

    /** Wires the services. */
    public CheckpointResource(CheckpointService checkpoints, SessionService sessions) {
        this.checkpoints = checkpoints;
        this.sessions = sessions;
    }

    /**
     * {@code GET /threads/{id}/checkpoints?limit=20&before=<cid>}:
     * {@code {"thread_id","checkpoints":[{checkpoint_id,parent_id,version,created_at,metadata}],"next"}}.
     */
    @GET
    @Operation(summary = "List checkpoints newest first (paged with before=<next>)")
    @StateProblems({SESSION_NOT_FOUND, CHECKPOINT_NOT_FOUND})
    public Uni<CheckpointPage> listCheckpoints(
            @PathParam("thread_id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String threadId,
            // text, not Integer: JAX-RS answers a query parameter it cannot convert with 404, not 400
            @QueryParam("limit") @Pattern(regexp = "[1-9][0-9]?|100", message = "must be a number from 1 to 100")
                    String limit,
            @QueryParam("before") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String before) {
        return checkpoints.listCheckpoints(threadId, limit == null ? null : Integer.valueOf(limit), before);
    }

    /** {@code GET /threads/{id}/checkpoints/{cid}}: the checkpoint with its full session snapshot; 404. */
    @GET
    @Path("/{checkpoint_id}")
    @Operation(summary = "Read one checkpoint with its session snapshot")
    @StateProblems(CHECKPOINT_NOT_FOUND)
    public Uni<Checkpoint> findCheckpoint(
            @PathParam("thread_id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String threadId,
            @PathParam("checkpoint_id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String checkpointId) {
        return checkpoints.findCheckpoint(threadId, checkpointId);
    }

    /** {@code POST /threads/{id}/checkpoints/{cid}/fork}: 201 + new session; 404; 409 {@code session-exists}. */
    @POST
    @Path("/{checkpoint_id}/fork")
    @Operation(summary = "Start a new session from a past checkpoint")
    @APIResponse(
            responseCode = "201",
            description = "The new session (version 1), with Location and ETag",
            content = @Content(schema = @Schema(implementation = Session.class)))
    @StateProblems({CHECKPOINT_NOT_FOUND, SESSION_EXISTS})
    public Uni<RestResponse<Session>> forkSession(
            @PathParam("thread_id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String threadId,
            @PathParam("checkpoint_id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String checkpointId,
            @Valid ForkRequest body) {
        return sessions.forkSession(threadId, checkpointId, body)
                .map(session -> RestResponse.ResponseBuilder.<Session>created(
                                URI.create("/sessions/" + session.sessionId()))
                        .entity(session)
                        .header(HttpHeaders.ETAG, IfMatch.etag(session.version()))
                        .build());
    }
}
