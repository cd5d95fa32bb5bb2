package dev.switchboard.prompts.client;

import dev.switchboard.common.auth.ServiceTokenClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** HTTP view of agent-registry-service (base URL {@code quarkus.rest-client.agent-registry.url}). */
@RegisterRestClient(configKey = "agent-registry")
@RegisterProvider(ServiceTokenClientFilter.class)
interface AgentRegistryRestClient {

    @GET
    @Path("/agents")
    Uni<RegistryAgents> listAgents(@QueryParam("status") String status);
}
