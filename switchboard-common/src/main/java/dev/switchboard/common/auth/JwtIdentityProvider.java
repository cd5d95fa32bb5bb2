package dev.switchboard.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.KeyFormat;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Verifies JWT access tokens with smallrye-jwt, choosing the verification by the token header's {@code alg}:
 * <ul>
 * <li>HMAC ({@code JWT_ALGORITHM}, HS256 by default): Switchboard's own tokens, signed with the access key of
 * {@code JWT_SECRET_KEY} ({@link JwtKeys}), {@code iss} and {@code aud} = {@code switchboard}, roles in
 * {@code groups}, the caller is {@code upn} (= {@code sub});</li>
 * <li>RS256/384/512, ES256/384/512, only when {@code JWT_JWKS_URL} is set: the identity provider's tokens, verified
 * with its key set (fetched and cached by smallrye-jwt, re-fetched for an unknown {@code kid}), {@code iss} =
 * {@code JWT_ISSUER}, {@code aud} one of {@code JWT_AUDIENCE}, roles in {@code JWT_ROLES_CLAIM}, the caller in
 * {@code JWT_PRINCIPAL_CLAIM}.</li>
 * </ul>
 * Any other algorithm ({@code none} included), a bad signature, a wrong issuer or audience, an expired token, one
 * without {@code iat}/{@code exp} or issued for longer than {@code JWT_MAX_LIFETIME} fails with
 * {@link AuthenticationFailedException} (401). Tokens are never logged.
 */
@ApplicationScoped
@Startup
public class JwtIdentityProvider implements IdentityProvider<JwtAuthenticationRequest> {

    /** {@code iss} and {@code aud} of Switchboard's own access tokens. */
    public static final String SWITCHBOARD = "switchboard";

    private static final Logger LOG = Logger.getLogger(JwtIdentityProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<SignatureAlgorithm> EXTERNAL_ALGORITHMS = EnumSet.of(
            SignatureAlgorithm.RS256,
            SignatureAlgorithm.RS384,
            SignatureAlgorithm.RS512,
            SignatureAlgorithm.ES256,
            SignatureAlgorithm.ES384,
            SignatureAlgorithm.ES512);
    /** Seconds of clock difference tolerated on {@code exp} and {@code iat}. */
    private static final int CLOCK_SKEW_SECONDS = 30;

    private final JWTParser parser = new DefaultJWTParser();
    private final SignatureAlgorithm internalAlgorithm;
    private final Optional<JWTAuthContextInfo> internal;
    private final Optional<JWTAuthContextInfo> external;
    private final String principalClaim;

    JwtIdentityProvider(AuthConfig auth, JwtConfig config) {
        this.internalAlgorithm = SignatureAlgorithm.fromAlgorithm(config.algorithm());
        long maxLifetime = config.maxLifetime().toSeconds();
        this.internal = auth.jwtSecretKey().filter(s -> !s.isBlank()).map(secret -> {
            JWTAuthContextInfo context =
                    new JWTAuthContextInfo(JwtKeys.key(secret, JwtKeys.Purpose.ACCESS), SWITCHBOARD);
            context.setExpectedAudience(Set.of(SWITCHBOARD));
            context.setSignatureAlgorithm(Set.of(internalAlgorithm));
            return limited(context, maxLifetime);
        });
        this.external = config.jwksUrl().filter(u -> !u.isBlank()).map(url -> {
            String issuer = config.issuer()
                    .filter(i -> !i.isBlank())
                    .orElseThrow(() -> new IllegalStateException("JWT_JWKS_URL is set but JWT_ISSUER is not"));
            List<String> audience = config.audience().orElse(List.of()).stream()
                    .map(String::strip)
                    .filter(a -> !a.isEmpty())
                    .toList();
            if (audience.isEmpty()) {
                throw new IllegalStateException("JWT_JWKS_URL is set but JWT_AUDIENCE is not");
            }
            JWTAuthContextInfo context = new JWTAuthContextInfo(url, issuer);
            context.setKeyFormat(KeyFormat.JWK);
            context.setExpectedAudience(new LinkedHashSet<>(audience));
            context.setSignatureAlgorithm(EXTERNAL_ALGORITHMS);
            context.setGroupsPath(config.rolesClaim());
            LOG.infof(
                    "Accepting access tokens of issuer %s (audience %s) verified with the key set at %s",
                    issuer, audience, url);
            return limited(context, maxLifetime);
        });
        this.principalClaim = config.principalClaim();
    }

    private static JWTAuthContextInfo limited(JWTAuthContextInfo context, long maxLifetimeSeconds) {
        context.setMaxTimeToLiveSecs(maxLifetimeSeconds);
        context.setClockSkew(CLOCK_SKEW_SECONDS);
        context.setRequiredClaims(Set.of("iat", "exp"));
        return context;
    }

    @Override
    public Class<JwtAuthenticationRequest> getRequestType() {
        return JwtAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(JwtAuthenticationRequest request, AuthenticationRequestContext context) {
        SignatureAlgorithm algorithm = algorithm(request.token());
        if (algorithm == internalAlgorithm && internal.isPresent()) {
            // HMAC: no I/O, verified on the calling thread
            try {
                return Uni.createFrom().item(identity(parser.parse(request.token(), internal.get()), "upn", "jwt"));
            } catch (AuthenticationFailedException e) {
                return Uni.createFrom().failure(e);
            } catch (ParseException e) {
                return Uni.createFrom().failure(rejected(e));
            }
        }
        if (algorithm != null && EXTERNAL_ALGORITHMS.contains(algorithm) && external.isPresent()) {
            // may fetch the key set over HTTP: on a worker thread
            return context.runBlocking(() -> {
                try {
                    return identity(parser.parse(request.token(), external.get()), principalClaim, "jwks");
                } catch (ParseException e) {
                    throw rejected(e);
                }
            });
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("Token algorithm not accepted"));
    }

    private static SecurityIdentity identity(JsonWebToken token, String principalClaim, String method) {
        Object name = "upn".equals(principalClaim) ? token.getName() : token.getClaim(principalClaim);
        if (name == null || name.toString().isBlank()) {
            throw new AuthenticationFailedException("The token names no caller");
        }
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(name.toString()))
                .addRoles(token.getGroups() == null ? Set.of() : token.getGroups())
                .addAttribute(BearerKeyIdentityProvider.METHOD_ATTRIBUTE, method)
                .build();
    }

    private static AuthenticationFailedException rejected(ParseException e) {
        LOG.debugf("JWT rejected: %s", e.getMessage());
        return new AuthenticationFailedException("The token is not valid");
    }

    /** @return the {@code alg} of the token's protected header, or {@code null} when unreadable or unknown */
    static SignatureAlgorithm algorithm(String token) {
        try {
            String header = token.substring(0, token.indexOf('.'));
            JsonNode alg = JSON.readTree(Base64.getUrlDecoder().decode(header)).get("alg");
            return alg == null || !alg.isTextual() ? null : SignatureAlgorithm.fromAlgorithm(alg.asText());
        } catch (RuntimeException | java.io.IOException e) {
            return null;
        }
    }
}
