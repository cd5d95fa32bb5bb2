package dev.switchboard.supervisor.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.switchboard.common.test.DefaultCredentialsCallback;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Login: users created by an admin log in, get 30-minute access and 7-day refresh tokens, refresh them. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class AuthResourceTest {

    private static final String PASSWORD = "correct horse battery staple";

    @Inject
    RedisDataSource redis;

    @Inject
    LoginThrottle throttle;

    @Inject
    MeterRegistry meters;

    @BeforeEach
    void clearFailedLogins() {
        FailedLogins.clear(redis, throttle);
    }

    private static String newUser(String roles) {
        String username = "u-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"roles\":" + roles + "}")
                .post("/api/v1/auth/users")
                .then()
                .statusCode(201)
                .body("username", equalTo(username))
                .body("password", org.hamcrest.Matchers.nullValue());
        return username;
    }

    private static JsonPath login(String username, String password, int status) {
        return given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    @Test
    void aUserLogsInAndUsesTheAccessTokenButNotForAdminWork() {
        String username = newUser("[\"user\"]");
        DefaultCredentialsCallback.anonymous();
        JsonPath tokens = login(username, PASSWORD, 200);
        String access = tokens.getString("access_token");
        org.hamcrest.MatcherAssert.assertThat(tokens.getString("token_type"), equalTo("bearer"));
        org.hamcrest.MatcherAssert.assertThat(tokens.getInt("expires_in"), equalTo(30 * 60));
        org.hamcrest.MatcherAssert.assertThat(tokens.getInt("refresh_expires_in"), equalTo(7 * 24 * 3600));

        given().header("Authorization", "Bearer " + access)
                .get("/agents")
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + access)
                .get("/sessions/user/" + username)
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + access)
                .get("/system/stats")
                .then()
                .statusCode(403);
    }

    @Test
    void anAdminLogsInAndMayDoAdminWork() {
        String username = newUser("[\"admin\"]");
        DefaultCredentialsCallback.anonymous();
        String access = login(username, PASSWORD, 200).getString("access_token");
        given().header("Authorization", "Bearer " + access)
                .get("/api/v1/system/circuit-breakers")
                .then()
                .statusCode(200);
    }

    @Test
    void refreshTokensAreExchangedButNeverAcceptedAsAccessTokens() {
        String username = newUser("[\"user\"]");
        DefaultCredentialsCallback.anonymous();
        JsonPath tokens = login(username, PASSWORD, 200);
        String refresh = tokens.getString("refresh_token");

        given().header("Authorization", "Bearer " + refresh)
                .get("/agents")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", containsString("/invalid-credentials"));
        String renewed = given().contentType("application/json")
                .body("{\"refresh_token\":\"" + refresh + "\"}")
                .post("/api/v1/auth/refresh")
                .then()
                .statusCode(200)
                .body("access_token", notNullValue())
                .extract()
                .path("access_token");
        assertNotEquals(tokens.getString("access_token"), renewed);
        given().header("Authorization", "Bearer " + renewed)
                .get("/agents")
                .then()
                .statusCode(200);

        given().contentType("application/json")
                .body("{\"refresh_token\":\"" + tokens.getString("access_token") + "\"}")
                .post("/api/v1/auth/refresh")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().contentType("application/json")
                .body("{\"refresh_token\":\"not-a-token\"}")
                .post("/api/v1/auth/refresh")
                .then()
                .statusCode(401);
    }

    @Test
    void wrongPasswordsAre401AndRepeatedFailuresAreRateLimited() {
        String username = newUser("[\"user\"]");
        DefaultCredentialsCallback.anonymous();
        for (int i = 0; i < 5; i++) {
            given().contentType("application/json")
                    .body("{\"username\":\"" + username + "\",\"password\":\"bad-secret-" + i + "\"}")
                    .post("/api/v1/auth/login")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("type", containsString("/invalid-credentials"))
                    .body(org.hamcrest.Matchers.not(containsString("bad-secret")));
        }
        // even the right password is refused while the user name is locked
        given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", containsString("/too-many-failed-logins"));
        // the lock is per user name: another name from the same address is still checked (401, not 429)
        login("u-unknown-" + UUID.randomUUID().toString().substring(0, 6), PASSWORD, 401);
    }

    @Test
    void aLockedLoginIsRefusedFromTheReplicasMemoryWithoutARedisRoundTrip() {
        String username = newUser("[\"user\"]");
        DefaultCredentialsCallback.anonymous();
        for (int i = 0; i < 5; i++) {
            login(username, "bad-secret-" + i, 401);
        }
        login(username, PASSWORD, 429); // Redis says: locked; the replica remembers it
        double before = refusedLocally();
        for (int i = 0; i < 10; i++) {
            given().contentType("application/json")
                    .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
                    .post("/api/v1/auth/login")
                    .then()
                    .statusCode(429)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue());
        }
        assertEquals(10, refusedLocally() - before, "refusals answered without asking Redis");
    }

    private double refusedLocally() {
        return meters.counter("switchboard_auth_logins_refused_locally_total").count();
    }

    @Test
    void unknownUsersAre401AndUserCreationNeedsAdmin() {
        DefaultCredentialsCallback.anonymous();
        login("nobody-" + UUID.randomUUID(), PASSWORD, 401);
        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .contentType("application/json")
                .body("{\"username\":\"sneaky\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/v1/auth/users")
                .then()
                .statusCode(403);
        given().header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                .contentType("application/json")
                .body("{\"username\":\"short\",\"password\":\"short\"}")
                .post("/api/v1/auth/users")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("password"));
    }

    @Test
    void creatingAnExistingUserIs409() {
        String username = newUser("[\"user\"]");
        given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/v1/auth/users")
                .then()
                .statusCode(409)
                .body("type", containsString("/user-exists"))
                .body("status", greaterThan(0));
    }
}
