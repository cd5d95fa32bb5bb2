package dev.switchboard.supervisor.peers;

import dev.switchboard.common.auth.ServiceTokenClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** HTTP view of agent-registry-service (base URL {@code quarkus.rest-client.agent-registry.url}). */
@RegisterRestClient(configKey = "agent-registry")
@RegisterProvider(ServiceTokenClientFilter.class)
@RegisterProvider(AgentRegistryExceptionMapper.class)
interface AgentRegistryRestClient {

    @GET
    @Path("/agents")
    Uni<RegistryAgentList> listAgents();

    @GET
    @Path("/agents/{name}")
    Uni<RegistryAgent> findAgent(@PathParam("name") String name);

    @POST
    @Path("/agents/{name}/status")
    Uni<RegistryAgent> changeStatus(@PathParam("name") String name, AgentStatusChange change);

    @GET
    @Path("/supervisors")
    Uni<SupervisorInstanceList> listSupervisors();

    @POST
    @Path("/supervisors")
    Uni<SupervisorInstance> registerSupervisor(SupervisorInstance registration);

    @POST
    @Path("/supervisors/{id}/heartbeat")
    Uni<SupervisorInstance> heartbeatSupervisor(@PathParam("id") String id, SupervisorHeartbeat heartbeat);

    @DELETE
    @Path("/supervisors/{id}")
    Uni<Void> deregisterSupervisor(@PathParam("id") String id);

    @GET
    @Path("/q/health/live")
    Uni<Response> live();
}
