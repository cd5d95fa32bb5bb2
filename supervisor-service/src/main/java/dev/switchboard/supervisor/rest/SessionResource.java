package dev.switchboard.supervisor.rest;

import dev.switchboard.common.validation.Ids;
import dev.switchboard.supervisor.client.Session;
import dev.switchboard.supervisor.client.StateClient;
import dev.switchboard.supervisor.client.UserSessions;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /sessions/{id}} and {@code GET /sessions/user/{user_id}}, proxied to state-service. */
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final StateClient state;

    SessionResource(StateClient state) {
        this.state = state;
    }

    /**
     * @return state-service's session object; 404 session-not-found, 400 for a malformed id
     */
    @GET
    @Path("/{id}")
    public Uni<Session> findSession(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        return state.findSession(id);
    }

    /**
     * @return {@code {"user_id","sessions":[{"session_id","version","updated_at","message_count"}]}}
     */
    @GET
    @Path("/user/{userId}")
    public Uni<UserSessions> listUserSessions(
            @PathParam("userId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String userId) {
        return state.listUserSessions(userId);
    }
}
