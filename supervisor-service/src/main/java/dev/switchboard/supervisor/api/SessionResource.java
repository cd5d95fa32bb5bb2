package dev.switchboard.supervisor.api;

import dev.switchboard.common.auth.Callers;
import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.validation.Ids;
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

/**
 * {@code GET /sessions/{id}} and {@code GET /sessions/user/{user_id}}, proxied to state-service. A user reads only
 * its own sessions (403 otherwise); an admin reads any.
 */
@Path("/sessions")
@RolesAllowed({ Roles.USER, Roles.ADMIN })
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final StateClient state;

    SessionResource(StateClient state) {
        this.state = state;
    }

    /**
     * @return state-service's session object; 404 session-not-found, 400 for a malformed id, 403 forbidden when
     *         the caller is neither the session's user nor an admin
     */
    @GET
    @Path("/{id}")
    public Uni<Session> findSession(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @Context SecurityContext caller) {
        return state.findSession(id).invoke(session -> Callers.requireOwnerOrAdmin(caller, session.userId()));
    }

    /**
     * @return {@code {"user_id","sessions":[{"session_id","version","updated_at","message_count"}]}}; 403 forbidden
     *         for another user's list unless the caller is an admin
     */
    @GET
    @Path("/user/{userId}")
    public Uni<UserSessions> listUserSessions(
            @PathParam("userId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String userId,
            @Context SecurityContext caller) {
        Callers.requireOwnerOrAdmin(caller, userId);
        return state.listUserSessions(userId);
    }
}
