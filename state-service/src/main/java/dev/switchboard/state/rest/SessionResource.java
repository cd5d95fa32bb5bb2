package dev.switchboard.state.rest;

import static dev.switchboard.state.StateProblem.DEPENDENCY_UNAVAILABLE;
import static dev.switchboard.state.StateProblem.PRECONDITION_REQUIRED;
import static dev.switchboard.state.StateProblem.SESSION_NOT_FOUND;
import static dev.switchboard.state.StateProblem.SESSION_USER_MISMATCH;
import static dev.switchboard.state.StateProblem.STALE_FENCING_TOKEN;
import static dev.switchboard.state.StateProblem.VERSION_CONFLICT;
import static dev.switchboard.state.StateProblem.WRITE_CONTENTION;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.validation.Ids;
import dev.switchboard.state.NewSession;
import dev.switchboard.state.NewTurn;
import dev.switchboard.state.PreconditionRequiredException;
import dev.switchboard.state.Session;
import dev.switchboard.state.SessionPatch;
import dev.switchboard.state.TurnResult;
import dev.switchboard.state.UserSessions;
import dev.switchboard.state.service.SessionService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Sessions: load-or-create, read, merge-patch with If-Match, delete, per-user listing and turn appends. */
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
@RolesAllowed({Roles.SERVICE, Roles.ADMIN})
// every operation needs PostgreSQL (the source of truth): 503 while it is unreachable or silent past DB_TIMEOUT
@StateProblems(DEPENDENCY_UNAVAILABLE)
public class SessionResource {

    private final SessionService sessions;

    /** @param sessions the session rules */
    public SessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    /**
     * {@code POST /sessions}: 201 + new session, 200 + existing one, 409 {@code session-user-mismatch}. An optional
     * {@code X-Fencing-Token} is stored by a new session; 409 {@code stale-fencing-token} when it predates an erasure of
     * the session or its user (nothing written).
     */
    @POST
    @Operation(summary = "Load or create a session")
    @APIResponse(
            responseCode = "201",
            description = "A new session, with Location and ETag",
            content = @Content(schema = @Schema(implementation = Session.class)))
    @APIResponse(responseCode = "200", description = "The existing session, with ETag")
    @StateProblems({SESSION_USER_MISMATCH, STALE_FENCING_TOKEN})
    public Uni<RestResponse<Session>> createSession(
            @Valid NewSession body, @HeaderParam(FencingToken.HEADER) String fencingToken) {
        return sessions.createSession(body, FencingToken.parse(fencingToken)).map(write -> {
            Session session = write.session();
            RestResponse.ResponseBuilder<Session> response = write.created()
                    ? RestResponse.ResponseBuilder.<Session>created(URI.create("/sessions/" + session.sessionId()))
                    : RestResponse.ResponseBuilder.<Session>ok();
            return response.entity(session)
                    .header(HttpHeaders.ETAG, IfMatch.etag(session.version()))
                    .build();
        });
    }

    /** {@code GET /sessions/{id}}: the session with {@code ETag: "<version>"}; 404 {@code session-not-found}. */
    @GET
    @Path("/{id}")
    @Operation(summary = "Read a session (rebuilt from its latest checkpoint when missing from Redis)")
    @StateProblems(SESSION_NOT_FOUND)
    public Uni<RestResponse<Session>> findSession(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        return sessions.findSession(id).map(SessionResource::withEtag);
    }

    /**
     * {@code PATCH /sessions/{id}} with {@code If-Match} (and optional {@code X-Fencing-Token}): JSON merge patch
     * of state/metadata. 409 {@code stale-fencing-token} (token lower than the session's or its lease's), 412
     * {@code version-conflict}, 428
     * {@code precondition-required}, 404.
     */
    @PATCH
    @Path("/{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(summary = "Merge-patch a session's state and metadata (If-Match required)")
    @StateProblems({SESSION_NOT_FOUND, STALE_FENCING_TOKEN, VERSION_CONFLICT, PRECONDITION_REQUIRED})
    public Uni<RestResponse<Session>> patchSession(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(FencingToken.HEADER) String fencingToken,
            SessionPatch body) {
        Long expected = IfMatch.parse(ifMatch);
        if (expected == null) {
            throw new PreconditionRequiredException();
        }
        return sessions.patchSession(id, expected, body, FencingToken.parse(fencingToken))
                .map(SessionResource::withEtag);
    }

    /** {@code DELETE /sessions/{id}}: 204 once Redis keys and checkpoints are gone; 404. */
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a session and its checkpoints")
    @StateProblems(SESSION_NOT_FOUND)
    public Uni<RestResponse<Void>> deleteSession(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        return sessions.deleteSession(id).map(ignored -> RestResponse.noContent());
    }

    /** {@code GET /sessions/user/{user_id}}: {@code {"user_id","sessions":[{session_id,version,updated_at,message_count}]}}. */
    @GET
    @Path("/user/{user_id}")
    @Operation(summary = "List a user's sessions, most recently updated first")
    public Uni<UserSessions> listUserSessions(
            @PathParam("user_id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String userId) {
        return sessions.listUserSessions(userId);
    }

    /**
     * {@code POST /sessions/{id}/turns}: 201 {@code {"session","checkpoint_id"}}; 200 for a repeated turn id;
     * 404; 409 {@code stale-fencing-token} when the optional {@code X-Fencing-Token} is lower than the session's or
     * than the token of the session's current (or newest) lease in Redis;
     * 412 when the optional If-Match is stale; 503 {@code write-contention} when retries ran out.
     *
     * <p>With {@code If-None-Match: *} the turn starts the session instead (one call where a new session would take
     * two): 201 with version 1 holding the turn, owned by the body's {@code user_id}; 200 when the session already
     * holds this turn id (a retried start); 412 {@code version-conflict} with the session's version as ETag when it
     * exists without it (nothing written); 409 {@code session-user-mismatch} when it is another user's. If-Match and
     * If-None-Match together, or If-None-Match other than {@code *}, are 400.
     */
    @POST
    @Path("/{id}/turns")
    @Operation(summary = "Append a turn and write its checkpoint (If-None-Match: * starts the session with it)")
    @APIResponse(
            responseCode = "201",
            description = "The turn was appended, with the session's new ETag",
            content = @Content(schema = @Schema(implementation = TurnResult.class)))
    @APIResponse(responseCode = "200", description = "The session already holds this turn_id: its recorded result")
    @StateProblems({SESSION_NOT_FOUND, STALE_FENCING_TOKEN, VERSION_CONFLICT, WRITE_CONTENTION})
    public Uni<RestResponse<TurnResult>> appendTurn(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(FencingToken.HEADER) String fencingToken,
            @NotNull @Valid NewTurn body) {
        Long expected = IfMatch.parse(ifMatch);
        Long token = FencingToken.parse(fencingToken);
        Uni<TurnResult> write;
        if (IfMatch.noneMatchAny(ifNoneMatch)) {
            if (expected != null) {
                throw IfMatch.invalid("If-None-Match", "cannot be combined with If-Match");
            }
            write = sessions.startSessionWithTurn(id, body, token);
        } else {
            write = sessions.appendTurn(id, expected, body, token);
        }
        return write.map(result -> RestResponse.ResponseBuilder.<TurnResult>create(
                        result.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK)
                .entity(result)
                .header(HttpHeaders.ETAG, IfMatch.etag(result.session().version()))
                .build());
    }

    private static RestResponse<Session> withEtag(Session session) {
        return RestResponse.ResponseBuilder.ok(session)
                .header(HttpHeaders.ETAG, IfMatch.etag(session.version()))
                .build();
    }
}
