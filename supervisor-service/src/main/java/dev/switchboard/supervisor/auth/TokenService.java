package dev.switchboard.supervisor.auth;

import dev.switchboard.common.auth.AuthConfig;
import dev.switchboard.common.auth.JwtConfig;
import dev.switchboard.common.auth.JwtIdentityProvider;
import dev.switchboard.common.auth.JwtKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Issues and checks the JWTs of a login: an access token ({@code aud=switchboard}, {@code groups} = roles,
 * {@code JWT_ACCESS_TOKEN_EXPIRE_MINUTES}) that every service accepts, signed with the access key, and a refresh
 * token ({@code aud=switchboard-refresh}, {@code token_use=refresh}, no roles, {@code JWT_REFRESH_TOKEN_EXPIRE_DAYS},
 * {@code fam} = the login it descends from) that only {@code POST /api/v1/auth/refresh} accepts, signed with the
 * refresh key. Both keys come from {@code JWT_SECRET_KEY} ({@link JwtKeys}, {@code JWT_ALGORITHM}, HS256 by
 * default), so neither kind verifies as the other; both carry {@code iss=switchboard}, {@code iat} and a
 * {@code jti}.
 */
@ApplicationScoped
public class TokenService {

    /** Issuer of every token. */
    public static final String ISSUER = JwtIdentityProvider.SWITCHBOARD;
    /** Audience of access tokens (what the services verify). */
    public static final String ACCESS_AUDIENCE = JwtIdentityProvider.SWITCHBOARD;
    /** Audience of refresh tokens: never accepted as an access token. */
    public static final String REFRESH_AUDIENCE = "switchboard-refresh";

    private static final String TOKEN_USE = "token_use";
    /** Claim naming the login a refresh token descends from. */
    private static final String FAMILY = "fam";

    /** An issued pair, in the OAuth 2.0 token response shape (RFC 6749 §5.1). */
    public record TokenPair(
            String accessToken, String refreshToken, String tokenType, long expiresIn, long refreshExpiresIn) {}

    /** A verified refresh token: whose, which one, of which login, and when it expires. */
    public record RefreshClaims(String subject, String jti, String family, Instant expiresAt) {}

    private final AuthSettings settings;
    private final Optional<SecretKey> accessKey;
    private final Optional<SecretKey> refreshKey;
    private final JWTParser parser = new DefaultJWTParser();
    private final Optional<JWTAuthContextInfo> refreshContext;
    private final SignatureAlgorithm algorithm;

    TokenService(AuthSettings settings, AuthConfig auth, JwtConfig jwt) {
        this.settings = settings;
        Optional<String> secret = auth.jwtSecretKey().filter(s -> !s.isBlank());
        this.accessKey = secret.map(s -> JwtKeys.key(s, JwtKeys.Purpose.ACCESS));
        this.refreshKey = secret.map(s -> JwtKeys.key(s, JwtKeys.Purpose.REFRESH));
        this.algorithm = SignatureAlgorithm.fromAlgorithm(jwt.algorithm());
        if (Duration.ofMinutes(settings.accessTokenMinutes()).compareTo(jwt.maxLifetime()) > 0) {
            throw new IllegalStateException("JWT_ACCESS_TOKEN_EXPIRE_MINUTES (" + settings.accessTokenMinutes()
                    + ") is longer than JWT_MAX_LIFETIME (" + jwt.maxLifetime()
                    + "): every access token would be refused");
        }
        this.refreshContext = refreshKey.map(key -> {
            JWTAuthContextInfo context = new JWTAuthContextInfo(key, ISSUER);
            context.setExpectedAudience(Set.of(REFRESH_AUDIENCE));
            context.setSignatureAlgorithm(Set.of(algorithm));
            context.setMaxTimeToLiveSecs(refreshLifetime().toSeconds());
            context.setRequiredClaims(Set.of("iat", "exp", "jti", FAMILY));
            return context;
        });
    }

    /** @return the lifetime of a refresh token ({@code JWT_REFRESH_TOKEN_EXPIRE_DAYS}) */
    public Duration refreshLifetime() {
        return Duration.ofDays(settings.refreshTokenDays());
    }

    /**
     * @return a new access and refresh token for {@code subject} with {@code roles}, starting a new refresh family
     * @throws IllegalStateException when {@code JWT_SECRET_KEY} is not set (only possible with SKIP_AUTH)
     */
    public TokenPair issue(String subject, List<String> roles) {
        return issue(subject, roles, UUID.randomUUID().toString());
    }

    /**
     * @param family the login the refresh token descends from (kept on rotation)
     * @return a new access and refresh token for {@code subject} with {@code roles}
     * @throws IllegalStateException when {@code JWT_SECRET_KEY} is not set (only possible with SKIP_AUTH)
     */
    public TokenPair issue(String subject, List<String> roles, String family) {
        SecretKey access = accessKey.orElseThrow(() -> new IllegalStateException("JWT_SECRET_KEY is not set"));
        SecretKey refresh = refreshKey.orElseThrow();
        Duration accessLifetime = Duration.ofMinutes(settings.accessTokenMinutes());
        Duration refreshLifetime = refreshLifetime();
        String accessToken = Jwt.issuer(ISSUER)
                .audience(ACCESS_AUDIENCE)
                .subject(subject)
                .upn(subject)
                .groups(new HashSet<>(roles))
                .expiresIn(accessLifetime)
                .claim("jti", UUID.randomUUID().toString())
                .jws()
                .algorithm(algorithm)
                .sign(access);
        String refreshToken = Jwt.issuer(ISSUER)
                .audience(REFRESH_AUDIENCE)
                .subject(subject)
                .claim(TOKEN_USE, "refresh")
                .claim(FAMILY, family)
                .expiresIn(refreshLifetime)
                .claim("jti", UUID.randomUUID().toString())
                .jws()
                .algorithm(algorithm)
                .sign(refresh);
        return new TokenPair(
                accessToken, refreshToken, "bearer", accessLifetime.toSeconds(), refreshLifetime.toSeconds());
    }

    /**
     * @return the claims of a valid, unexpired refresh token
     * @throws ParseException when the token is malformed, not signed with the refresh key, expired, issued for longer
     *         than a refresh token lives, or not a refresh token
     */
    public RefreshClaims verifyRefresh(String refreshToken) throws ParseException {
        JWTAuthContextInfo context = refreshContext.orElseThrow(() -> new ParseException("JWT_SECRET_KEY is not set"));
        JsonWebToken token = parser.parse(refreshToken, context);
        if (!"refresh".equals(token.getClaim(TOKEN_USE))) {
            throw new ParseException("not a refresh token");
        }
        Object family = token.getClaim(FAMILY);
        return new RefreshClaims(
                token.getSubject(),
                token.getTokenID(),
                family.toString(),
                Instant.ofEpochSecond(token.getExpirationTime()));
    }
}
