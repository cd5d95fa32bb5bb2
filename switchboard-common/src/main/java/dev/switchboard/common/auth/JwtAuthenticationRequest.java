package dev.switchboard.common.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer credential shaped like a compact JWS: an access token of Switchboard or of the identity provider. */
public final class JwtAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    /** @param token the compact JWS as sent (never logged) */
    public JwtAuthenticationRequest(String token) {
        this.token = token;
    }

    /** @return the compact JWS as sent */
    public String token() {
        return token;
    }
}
