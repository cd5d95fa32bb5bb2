package dev.switchboard.supervisor.peers;

import dev.switchboard.common.auth.ServiceTokenClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** HTTP view of state-service (base URL {@code quarkus.rest-client.state-service.url}). */
@RegisterRestClient(configKey = "state-service")
@RegisterProvider(ServiceTokenClientFilter.class)
@RegisterProvider(StateExceptionMapper.class)
interface StateRestClient {

    @POST
    @Path("/sessions")
    Uni<Session> openSession(@HeaderParam("X-Fencing-Token") Long fencingToken, OpenSessionRequest request);

    @POST
    @Path("/erasures")
    Uni<StateErasure> erase(ErasureRequest request);

    @GET
    @Path("/sessions/{id}")
    Uni<Session> findSession(@PathParam("id") String sessionId);

    @GET
    @Path("/sessions/user/{userId}")
    Uni<UserSessions> listUserSessions(@PathParam("userId") String userId);

    @POST
    @Path("/sessions/{id}/turns")
    Uni<TurnAppended> appendTurn(
            @PathParam("id") String sessionId,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("X-Fencing-Token") Long fencingToken,
            NewTurn turn);

    @POST
    @Path("/sessions/{id}/turns")
    Uni<TurnAppended> startSession(
            @PathParam("id") String sessionId,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            @HeaderParam("X-Fencing-Token") Long fencingToken,
            NewTurn turn);

    @GET
    @Path("/q/health/live")
    Uni<Response> live();
}
