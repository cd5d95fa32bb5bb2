package dev.switchboard.prompts.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.common.test.DefaultCredentialsCallback;
import dev.switchboard.common.test.EndpointSecurity;
import dev.switchboard.common.test.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admin API needs role admin; prompt reads and renders are for the services (and admins). */
@QuarkusTest
class SecurityTest {

    @Test
    void everyEndpointRefusesMissingWrongRoleAndExpiredCredentials() {
        List<EndpointSecurity.Endpoint> endpoints = EndpointSecurity.assertSecured("dev.switchboard.prompts", 12);
        endpoints.stream()
                .filter(e -> e.path().startsWith("/admin/"))
                .forEach(e -> assertEquals(java.util.Set.of("admin"), e.roles(), e.toString()));
    }

    @Test
    void aUserKeyCannotWriteAPrompt() {
        DefaultCredentialsCallback.anonymous();
        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .contentType("application/json")
                .body("{\"id\":\"security-probe\",\"template\":\"Hello {{name}}\"}")
                .post("/admin/prompts")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }
}
