package dev.switchboard.common.auth;

import dev.switchboard.common.digest.Sha256;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Turns a non-JWT bearer value into an identity: the service token gives principal {@code service} with role
 * {@link Roles#SERVICE}; a configured API key gives the key's name and roles. Anything else fails with
 * {@link AuthenticationFailedException} (401). Comparisons are constant-time; keys are never logged.
 */
@ApplicationScoped
public class BearerKeyIdentityProvider implements IdentityProvider<BearerKeyAuthenticationRequest> {

    /** The principal name of a service-to-service call. */
    public static final String SERVICE_PRINCIPAL = "service";
    /** Identity attribute naming how the caller authenticated: {@code api-key} or {@code service-token}. */
    public static final String METHOD_ATTRIBUTE = "switchboard.auth-method";

    private final ApiKeys apiKeys;
    private final Optional<byte[]> serviceToken;

    BearerKeyIdentityProvider(AuthConfig config) {
        this.apiKeys = ApiKeys.parse(config.apiKeys().orElse(List.of()));
        this.serviceToken =
                ServiceTokenClientFilter.normalize(config.serviceToken()).map(Sha256::digest);
    }

    @Override
    public Class<BearerKeyAuthenticationRequest> getRequestType() {
        return BearerKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            BearerKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        byte[] digest = Sha256.digest(request.key()); // once: compared with the token, then looked up among the keys
        if (serviceToken.isPresent() && Sha256.same(serviceToken.get(), digest)) {
            return Uni.createFrom()
                    .item(QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(SERVICE_PRINCIPAL))
                            .addRole(Roles.SERVICE)
                            .addAttribute(METHOD_ATTRIBUTE, "service-token")
                            .build());
        }
        return apiKeys.findDigest(digest)
                .map(entry -> Uni.createFrom()
                        .<SecurityIdentity>item(QuarkusSecurityIdentity.builder()
                                .setPrincipal(new QuarkusPrincipal(entry.name()))
                                .addRoles(entry.roles())
                                .addAttribute(METHOD_ATTRIBUTE, "api-key")
                                .build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("Unknown API key")));
    }
}
