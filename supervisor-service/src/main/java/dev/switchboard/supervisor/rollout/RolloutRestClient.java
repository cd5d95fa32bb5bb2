package dev.switchboard.supervisor.rollout;

import dev.switchboard.common.auth.ServiceTokenClientFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** agent-registry-service's rollback endpoint (same base URL as the registry client: {@code AGENT_REGISTRY_URL}). */
@RegisterRestClient(configKey = "agent-registry")
@RegisterProvider(ServiceTokenClientFilter.class)
interface RolloutRestClient {

    /** {@code POST /agents/{name}/rollback {"version","reason"}}; the answer (the agent) is not needed. */
    @POST
    @Path("/agents/{name}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> rollback(@PathParam("name") String name, Rollback body);

    /** A 4xx is the registry refusing this request: retrying it cannot help (see {@link RolloutClient}). */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        return status >= 400 && status < 500 ? new RollbackRefusedException(status)
                : new jakarta.ws.rs.WebApplicationException("agent-registry answered " + status, status);
    }

    /** The registry answered 4xx to a rollback. */
    class RollbackRefusedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RollbackRefusedException(int status) {
            super("agent-registry refused the rollback with " + status);
        }
    }

    /**
     * The rollback request body.
     *
     * @param version the canary version
     * @param reason  the trigger, e.g. {@code error_rate 0.200 > 0.050 over 40 turns}
     */
    record Rollback(String version, String reason) {
    }
}
