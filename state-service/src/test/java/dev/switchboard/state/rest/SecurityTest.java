package dev.switchboard.state.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.common.test.DefaultCredentialsCallback;
import dev.switchboard.common.test.EndpointSecurity;
import dev.switchboard.common.test.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every state-service endpoint is for the other services (service token) and admins only. */
@QuarkusTest
class SecurityTest {

    @Test
    void everyEndpointRefusesMissingWrongRoleAndExpiredCredentials() {
        List<EndpointSecurity.Endpoint> endpoints = EndpointSecurity.assertSecured("dev.switchboard.state", 9);
        endpoints.forEach(e -> assertEquals(Set.of("service", "admin"), e.roles(), e.toString()));
    }

    @Test
    void theServiceTokenIsAccepted() {
        DefaultCredentialsCallback.anonymous();
        given().header("Authorization", TestCredentials.bearer(TestCredentials.SERVICE_TOKEN))
                .get("/sessions/no-such-session-for-security")
                .then()
                .statusCode(404);
    }
}
