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
        this(ConfigProvider.getConfig().getOptionalValue("switchboard.auth.service-token", String.class));
    }

    /** @param serviceToken the configured value, normalised with {@link #normalize} as the receiver does */
    ServiceTokenClientFilter(Optional<String> serviceToken) {
        this.header = normalize(serviceToken).map(t -> "Bearer " + t);
    }

    /**
     * The one normalisation of a configured {@code SERVICE_TOKEN}, used by the sender (this filter) and the receiver
     * ({@link BearerKeyIdentityProvider}): surrounding whitespace and line breaks (a secret file or a
     * {@code kubectl create secret --from-file} value often ends in a newline) are dropped; blank means unset.
     */
    public static Optional<String> normalize(Optional<String> serviceToken) {
        return serviceToken.map(String::strip).filter(t -> !t.isEmpty());
    }

    @Override
    public void filter(ClientRequestContext request) {
        header.ifPresent(value -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, value));
    }
}
