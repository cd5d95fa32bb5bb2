package dev.switchboard.common.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer credential that is not a JWT: an API key or the service token. */
public final class BearerKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    /** @param key the bearer value as sent (never logged) */
    public BearerKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    /** @return the bearer value as sent */
    public String key() {
        return key;
    }
}
