package dev.switchboard.supervisor.auth;

import dev.switchboard.common.auth.AuthConfig;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Issues and checks the JWTs of a login: an access token ({@code aud=switchboard}, {@code groups} = roles,
 * {@code JWT_ACCESS_TOKEN_EXPIRE_MINUTES}) that every service accepts, and a refresh token
 * ({@code aud=switchboard-refresh}, {@code token_use=refresh}, no roles, {@code JWT_REFRESH_TOKEN_EXPIRE_DAYS})
 * that only {@code POST /api/v1/auth/refresh} accepts. Both are signed with {@code JWT_SECRET_KEY}
 * ({@code JWT_ALGORITHM}, HS256 by default) and carry {@code iss=switchboard}.
 */
@ApplicationScoped
public class TokenService {

    /** Issuer of every token. */
    public static final String ISSUER = "switchboard";
    /** Audience of access tokens (what the services verify). */
    public static final String ACCESS_AUDIENCE = "switchboard";
    /** Audience of refresh tokens: never accepted as an access token. */
    public static final String REFRESH_AUDIENCE = "switchboard-refresh";

    private static final String TOKEN_USE = "token_use";

    /** An issued pair, in the OAuth 2.0 token response shape (RFC 6749 §5.1). */
    public record TokenPair(
            String accessToken, String refreshToken, String tokenType, long expiresIn, long refreshExpiresIn) {}

    private final AuthSettings settings;
    private final Optional<String> secret;
    private final JWTParser parser;
    private final JWTAuthContextInfo refreshContext;
    private final SignatureAlgorithm algorithm;

    TokenService(AuthSettings settings, AuthConfig auth, JWTParser parser, JWTAuthContextInfo accessContext) {
        this.settings = settings;
        this.secret = auth.jwtSecretKey().filter(s -> !s.isBlank());
        this.parser = parser;
        this.algorithm = SignatureAlgorithm.fromAlgorithm(settings.algorithm());
        this.refreshContext = new JWTAuthContextInfo(accessContext);
        refreshContext.setExpectedAudience(Set.of(REFRESH_AUDIENCE));
        refreshContext.setIssuedBy(ISSUER);
        refreshContext.setSignatureAlgorithm(Set.of(algorithm));
    }

    /**
     * @return a new access and refresh token for {@code subject} with {@code roles}
     * @throws IllegalStateException when {@code JWT_SECRET_KEY} is not set (only possible with SKIP_AUTH)
     */
    public TokenPair issue(String subject, List<String> roles) {
        String key = secret.orElseThrow(() -> new IllegalStateException("JWT_SECRET_KEY is not set"));
        Duration access = Duration.ofMinutes(settings.accessTokenMinutes());
        Duration refresh = Duration.ofDays(settings.refreshTokenDays());
        String accessToken = Jwt.issuer(ISSUER)
                .audience(ACCESS_AUDIENCE)
                .subject(subject)
                .upn(subject)
                .groups(new HashSet<>(roles))
                .expiresIn(access)
                .claim("jti", UUID.randomUUID().toString())
                .jws()
                .algorithm(algorithm)
                .signWithSecret(key);
        String refreshToken = Jwt.issuer(ISSUER)
                .audience(REFRESH_AUDIENCE)
                .subject(subject)
                .claim(TOKEN_USE, "refresh")
                .expiresIn(refresh)
                .claim("jti", UUID.randomUUID().toString())
                .jws()
                .algorithm(algorithm)
                .signWithSecret(key);
        return new TokenPair(accessToken, refreshToken, "bearer", access.toSeconds(), refresh.toSeconds());
    }

    /**
     * @return the subject of a valid, unexpired refresh token
     * @throws ParseException when the token is malformed, badly signed, expired or not a refresh token
     */
    public String verifyRefresh(String refreshToken) throws ParseException {
        JsonWebToken token = parser.parse(refreshToken, refreshContext);
        if (!"refresh".equals(token.getClaim(TOKEN_USE))) {
            throw new ParseException("not a refresh token");
        }
        return token.getSubject();
    }
}
