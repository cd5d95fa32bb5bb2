package dev.switchboard.supervisor.peers;

import dev.switchboard.common.auth.ServiceTokenClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** HTTP view of prompt-service (base URL {@code quarkus.rest-client.prompt-service.url}). */
@RegisterRestClient(configKey = "prompt-service")
@RegisterProvider(ServiceTokenClientFilter.class)
@RegisterProvider(PromptExceptionMapper.class)
interface PromptRestClient {

    @GET
    @Path("/prompts/{id}")
    Uni<Prompt> findPrompt(@PathParam("id") String id, @QueryParam("label") String label);

    @GET
    @Path("/q/health/live")
    Uni<Response> live();
}
