package dev.switchboard.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The service token a sender sends is the one its receiver accepts, however the secret's value is padded. */
class ServiceTokenTest {

    private static final String TOKEN = "service-token-0123456789abcdef0123456789";

    @Test
    void aTokenWithSurroundingWhitespaceAndNewlineIsSentAndAcceptedTheSameWay() {
        String padded = "  " + TOKEN + "\n";
        String header = sentHeader(padded);
        assertEquals("Bearer " + TOKEN, header);

        BearerKeyIdentityProvider receiver = new BearerKeyIdentityProvider(config(Map.of("serviceToken", padded)));
        SecurityIdentity identity = receiver.authenticate(
                        new BearerKeyAuthenticationRequest(BearerKeyAuthMechanism.bearerValue(header)), null)
                .await()
                .indefinitely();
        assertEquals(
                BearerKeyIdentityProvider.SERVICE_PRINCIPAL,
                identity.getPrincipal().getName());
        assertEquals(true, identity.hasRole(Roles.SERVICE));
    }

    @Test
    void aBlankTokenIsUnsetOnBothSides() {
        assertEquals(null, sentHeader(" \n"));
        BearerKeyIdentityProvider receiver = new BearerKeyIdentityProvider(config(Map.of("serviceToken", " \n")));
        assertThrows(
                AuthenticationFailedException.class,
                () -> receiver.authenticate(new BearerKeyAuthenticationRequest(" \n"), null)
                        .await()
                        .indefinitely());
    }

    private static String sentHeader(String configured) {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        ClientRequestContext request = (ClientRequestContext) Proxy.newProxyInstance(
                ServiceTokenTest.class.getClassLoader(),
                new Class<?>[] {ClientRequestContext.class},
                (proxy, method, args) -> method.getName().equals("getHeaders") ? headers : null);
        new ServiceTokenClientFilter(Optional.of(configured)).filter(request);
        Object value = headers.getFirst(HttpHeaders.AUTHORIZATION);
        return value == null ? null : value.toString();
    }

    /** An {@link AuthConfig} answering the named methods from {@code values}; every other optional is empty. */
    static AuthConfig config(Map<String, Object> values) {
        return (AuthConfig) Proxy.newProxyInstance(
                AuthConfig.class.getClassLoader(), new Class<?>[] {AuthConfig.class}, (proxy, method, args) -> {
                    Object value = values.get(method.getName());
                    if (method.getReturnType() == Optional.class) {
                        return Optional.ofNullable(value);
                    }
                    if (method.getReturnType() == boolean.class) {
                        return value != null && (Boolean) value;
                    }
                    return value;
                });
    }
}
