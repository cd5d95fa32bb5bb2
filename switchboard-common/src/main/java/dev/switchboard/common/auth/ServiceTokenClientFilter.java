package dev.switchboard.common.auth;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Adds {@code Authorization: Bearer <SERVICE_TOKEN>} to calls to the other Switchboard services. Register it
 * only on the REST clients of our own services ({@code @RegisterProvider(ServiceTokenClientFilter.class)}),
 * never on clients of third parties (models, remote agents, GoHighLevel): the token must not leave the cluster.
 */
public class ServiceTokenClientFilter implements ClientRequestFilter {

    private final Optional<String> header;

    /** Reads {@code switchboard.auth.service-token} once. */
    public ServiceTokenClientFilter() {
        this.header = ConfigProvider.getConfig()
                .getOptionalValue("switchboard.auth.service-token", String.class)
                .filter(t -> !t.isBlank())
                .map(t -> "Bearer " + t.strip());
    }

    @Override
    public void filter(ClientRequestContext request) {
        header.ifPresent(value -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, value));
    }
}
