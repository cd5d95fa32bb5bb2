package dev.switchboard.common.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the four services verify JWT access tokens ({@code switchboard.jwt.*}; environment names mapped in
 * {@code META-INF/microprofile-config.properties}): Switchboard's own HMAC tokens, and, when {@link #jwksUrl()} is
 * set, RS256/ES256 tokens of an external identity provider (OpenID Connect / OAuth 2.0, RFC 7517 key sets).
 */
@ConfigMapping(prefix = "switchboard.jwt")
public interface JwtConfig {

    /** {@code JWT_ALGORITHM}: HMAC algorithm of Switchboard's own tokens (HS256, HS384 or HS512). */
    @WithDefault("HS256")
    String algorithm();

    /**
     * {@code JWT_MAX_LIFETIME}: the longest an access token may live ({@code exp - iat}); a token issued for longer
     * is refused (401), also one from the identity provider. Default 24 h.
     */
    @WithDefault("24h")
    Duration maxLifetime();

    /**
     * {@code JWT_JWKS_URL}: the identity provider's JSON Web Key Set; when set, access tokens signed with one of its
     * keys (RS256, RS384, RS512, ES256, ES384, ES512) are accepted besides Switchboard's own. Needs
     * {@link #issuer()} and {@link #audience()}.
     */
    Optional<String> jwksUrl();

    /** {@code JWT_ISSUER}: the {@code iss} the identity provider's tokens must carry. */
    Optional<String> issuer();

    /** {@code JWT_AUDIENCE}: accepted {@code aud} values of the identity provider's tokens (comma-separated). */
    Optional<List<String>> audience();

    /**
     * {@code JWT_ROLES_CLAIM}: the claim of an identity provider's token that holds the roles (a string array, or a
     * path such as {@code realm_access/roles}); default {@code groups}.
     */
    @WithDefault("groups")
    String rolesClaim();

    /**
     * {@code JWT_PRINCIPAL_CLAIM}: the claim of an identity provider's token that names the caller (the user a
     * non-admin token acts as); default {@code sub}.
     */
    @WithDefault("sub")
    String principalClaim();
}
