package dev.switchboard.state.rest;

import static io.restassured.RestAssured.given;

import dev.switchboard.common.test.DefaultCredentialsCallback;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code SKIP_AUTH=true} (local use only, so honoured only on a service that listens on loopback): requests without
 * credentials are served as an administrator.
 */
@QuarkusTest
@TestProfile(SkipAuthTest.SkipAuth.class)
class SkipAuthTest {

    /** Authentication off, on a service that listens on 127.0.0.1 only. */
    public static class SkipAuth implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.auth.skip", "true", "quarkus.http.host", "127.0.0.1");
        }
    }

    @Test
    void requestsWithoutCredentialsAreServed() {
        DefaultCredentialsCallback.anonymous();
        given().get("/sessions/no-such-session-skip-auth").then().statusCode(404);
        given().header("Authorization", "Bearer not-a-key")
                .get("/sessions/no-such-session-skip-auth")
                .then()
                .statusCode(404);
    }
}
