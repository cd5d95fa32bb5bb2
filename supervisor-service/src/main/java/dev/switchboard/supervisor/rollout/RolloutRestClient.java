package dev.switchboard.supervisor.rollout;

import dev.switchboard.common.auth.ServiceTokenClientFilter;
import dev.switchboard.supervisor.peers.AgentRegistryExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * agent-registry-service's rollback endpoint (same base URL as the registry client: {@code AGENT_REGISTRY_URL}); the
 * registry's error answers become typed exceptions in its {@link AgentRegistryExceptionMapper}.
 */
@RegisterRestClient(configKey = "agent-registry")
@RegisterProvider(ServiceTokenClientFilter.class)
@RegisterProvider(AgentRegistryExceptionMapper.class)
interface RolloutRestClient {

    /** {@code POST /agents/{name}/rollback {"version","reason"}}; the answer (the agent) is not needed. */
    @POST
    @Path("/agents/{name}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> rollback(@PathParam("name") String name, Rollback body);

    /**
     * The rollback request body.
     *
     * @param version the canary version
     * @param reason  the trigger, e.g. {@code error_rate 0.200 > 0.050 over 40 turns}
     */
    record Rollback(String version, String reason) {}
}
