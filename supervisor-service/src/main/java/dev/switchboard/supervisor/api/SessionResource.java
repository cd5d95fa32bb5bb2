package dev.switchboard.supervisor.api;

import static dev.switchboard.supervisor.problem.SupervisorProblem.DEPENDENCY_TIMEOUT;
import static dev.switchboard.supervisor.problem.SupervisorProblem.DEPENDENCY_UNAVAILABLE;
import static dev.switchboard.supervisor.problem.SupervisorProblem.RESERVED_SESSION_ID;
import static dev.switchboard.supervisor.problem.SupervisorProblem.SESSION_NOT_FOUND;

import dev.switchboard.common.auth.Callers;
import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.validation.Ids;
import dev.switchboard.supervisor.chat.ReservedSessionIds;
import dev.switchboard.supervisor.peers.Session;
import dev.switchboard.supervisor.peers.StateClient;
import dev.switchboard.supervisor.peers.UserSessions;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /sessions/{id}} and {@code GET /sessions/user/{user_id}}, proxied to state-service. A user reads only
 * its own sessions (403 otherwise); an admin reads any. A CRM contact's session ({@link ReservedSessionIds}, e.g.
 * {@code ghl:…}) belongs to its webhook provider, not to a user who happens to share the contact's id: only an admin
 * reads it (403 {@code reserved-session-id}), and a user's list leaves it out.
 */
@Path("/sessions")
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions", description = "Sessions and their turns, read from state-service")
// StorableParameters checks every path and query parameter
@CommonProblems(CommonProblem.INVALID_TEXT)
@SupervisorProblems({DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT})
public class SessionResource {

    private final StateClient state;

    SessionResource(StateClient state) {
        this.state = state;
    }

    /**
     * @return state-service's session object; 404 session-not-found, 400 for a malformed id, 403 forbidden when
     *         the caller is neither the session's user nor an admin, 403 reserved-session-id for a CRM contact's
     *         session read by a non-admin
     */
    @GET
    @Path("/{id}")
    @Operation(summary = "Read a session with its messages (the caller's own, or any for an admin)")
    @SupervisorProblems({SESSION_NOT_FOUND, RESERVED_SESSION_ID})
    public Uni<Session> findSession(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @Context SecurityContext caller) {
        if (!Callers.isPrivileged(caller)) {
            ReservedSessionIds.requireUnreserved(id);
        }
        return state.findSession(id).invoke(session -> Callers.requireOwnerOrAdmin(caller, session.userId()));
    }

    /**
     * @return {@code {"user_id","sessions":[{"session_id","version","updated_at","message_count"}]}} (without CRM
     *         contact sessions unless the caller is an admin); 403 forbidden for another user's list unless the caller
     *         is an admin
     */
    @GET
    @Path("/user/{userId}")
    @Operation(summary = "List a user's sessions (the caller's own, or any user's for an admin)")
    public Uni<UserSessions> listUserSessions(
            @PathParam("userId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String userId,
            @Context SecurityContext caller) {
        Callers.requireOwnerOrAdmin(caller, userId);
        if (Callers.isPrivileged(caller)) {
            return state.listUserSessions(userId);
        }
        return state.listUserSessions(userId)
                .map(list -> new UserSessions(
                        list.userId(),
                        list.sessions() == null
                                ? null
                                : list.sessions().stream()
                                        .filter(s -> !ReservedSessionIds.isReserved(s.sessionId()))
                                        .toList()));
    }
}
