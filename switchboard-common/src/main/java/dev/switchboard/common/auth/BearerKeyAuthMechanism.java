package dev.switchboard.common.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * {@code Authorization: Bearer <value>}: a JWT-shaped value (three dot-separated parts) goes to
 * {@link JwtIdentityProvider}, any other value is an API key or the service token
 * ({@link BearerKeyIdentityProvider}). Runs before quarkus-smallrye-jwt's own mechanism, which therefore only ever
 * sees requests without a bearer value. With {@code SKIP_AUTH=true} every request is a local administrator.
 */
@ApplicationScoped
public class BearerKeyAuthMechanism implements HttpAuthenticationMechanism {

    /** The principal of every request when {@code SKIP_AUTH=true}. */
    public static final String SKIP_AUTH_PRINCIPAL = "local-admin";

    private static final String BEARER = "bearer ";

    private final boolean skip;
    private final SecurityIdentity skipIdentity;

    BearerKeyAuthMechanism(AuthConfig config) {
        this.skip = config.skip();
        this.skipIdentity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(SKIP_AUTH_PRINCIPAL))
                .addRoles(Set.of(Roles.ADMIN, Roles.USER, Roles.SERVICE, Roles.AGENT))
                .addAttribute(BearerKeyIdentityProvider.METHOD_ATTRIBUTE, "skip-auth")
                .build();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (skip) {
            return Uni.createFrom().item(skipIdentity);
        }
        String value = bearerValue(context.request().getHeader("Authorization"));
        if (value == null) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(
                isJwt(value) ? new JwtAuthenticationRequest(value) : new BearerKeyAuthenticationRequest(value));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerKeyAuthenticationRequest.class, JwtAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    /** Before smallrye-jwt's mechanism (priority 1000), so every bearer value is checked here. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 500;
    }

    /** @return the value of a {@code Bearer} authorization header, or {@code null} */
    static String bearerValue(String header) {
        if (header == null
                || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String value = header.substring(BEARER.length()).strip();
        return value.isEmpty() ? null : value;
    }

    /** @return whether {@code value} has the shape of a compact JWS (header.payload.signature) */
    static boolean isJwt(String value) {
        int first = value.indexOf('.');
        int second = first < 0 ? -1 : value.indexOf('.', first + 1);
        return first > 0 && second > first + 1 && value.indexOf('.', second + 1) < 0 && second < value.length() - 1;
    }
}
