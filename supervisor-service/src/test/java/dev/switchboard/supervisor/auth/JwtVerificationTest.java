package dev.switchboard.supervisor.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.switchboard.common.test.DefaultCredentialsCallback;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.common.test.TestJwks;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on JWT verification, each refused with 401 problem+json: {@code alg: none}, a foreign key, the wrong
 * issuer or audience, an expired token, a lifetime over {@code JWT_MAX_LIFETIME}, a refresh token used twice (which
 * also revokes the tokens rotated from it); and an identity provider's RS256/ES256 token from its key set, which
 * works.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class JwtVerificationTest {

    private static final String PASSWORD = "correct horse battery staple";

    @Inject
    RedisDataSource redis;

    @Inject
    LoginThrottle throttle;

    @BeforeEach
    void anonymousWithoutFailedLogins() {
        FailedLogins.clear(redis, throttle);
    }

    private static void refused(String token) {
        given().header("Authorization", "Bearer " + token)
                .get("/agents")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", containsString("/invalid-credentials"));
    }

    private static void accepted(String token) {
        given().header("Authorization", "Bearer " + token).get("/agents").then().statusCode(200);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUnsignedTokenIsRefused() {
        DefaultCredentialsCallback.anonymous();
        long now = Instant.now().getEpochSecond();
        String claims = b64("{\"iss\":\"switchboard\",\"aud\":\"switchboard\",\"sub\":\"mallory\",\"upn\":\"mallory\","
                + "\"groups\":[\"admin\"],\"iat\":" + now + ",\"exp\":" + (now + 300) + "}");
        refused(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + claims + ".c2ln");
        refused(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + claims + ".");
        String idpClaims = b64("{\"iss\":\"" + TestJwks.ISSUER + "\",\"aud\":\"" + TestJwks.AUDIENCE
                + "\",\"sub\":\"mallory\",\"groups\":[\"admin\"],\"iat\":" + now + ",\"exp\":" + (now + 300) + "}");
        refused(b64("{\"alg\":\"none\",\"kid\":\"test-rsa\"}") + "." + idpClaims + ".c2ln");
    }

    @Test
    void aTokenSignedWithAForeignKeyIsRefused() {
        DefaultCredentialsCallback.anonymous();
        refused(Jwt.issuer("switchboard")
                .audience("switchboard")
                .subject("mallory")
                .upn("mallory")
                .groups(Set.of("admin"))
                .expiresIn(Duration.ofMinutes(5))
                .signWithSecret("not-the-secret-0123456789abcdef0123456789abcdef"));
        refused(TestJwks.rs256WithForeignKey(TestJwks.claims("mallory", Set.of("admin"))));
        // the identity provider's key under the HMAC algorithm: the public key is no HMAC secret
        refused(Jwt.issuer(TestJwks.ISSUER)
                .audience(TestJwks.AUDIENCE)
                .subject("mallory")
                .groups(Set.of("admin"))
                .expiresIn(Duration.ofMinutes(5))
                .jws()
                .keyId("test-rsa")
                .signWithSecret("not-the-secret-0123456789abcdef0123456789abcdef"));
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() {
        DefaultCredentialsCallback.anonymous();
        refused(TestJwks.rs256(TestJwks.claims("mallory", Set.of("user")).issuer("https://evil.example")));
        refused(TestJwks.rs256(TestJwks.claims("mallory", Set.of("user")).audience("another-app")));
        refused(Jwt.issuer("someone-else")
                .audience("switchboard")
                .subject("mallory")
                .groups(Set.of("user"))
                .expiresIn(Duration.ofMinutes(5))
                .signWithSecret(TestCredentials.JWT_SECRET));
        refused(Jwt.issuer("switchboard")
                .audience("another-app")
                .subject("mallory")
                .groups(Set.of("user"))
                .expiresIn(Duration.ofMinutes(5))
                .signWithSecret(TestCredentials.JWT_SECRET));
    }

    @Test
    void expiredTokensAreRefused() {
        DefaultCredentialsCallback.anonymous();
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        refused(TestJwks.rs256(TestJwks.claims("mallory", Set.of("user"))
                .issuedAt(issued)
                .expiresAt(issued.plus(Duration.ofHours(1)))));
        refused(TestCredentials.expiredAccessToken("mallory", Set.of("user")));
    }

    @Test
    void aLifetimeOverTheMaximumIsRefused() {
        DefaultCredentialsCallback.anonymous();
        // JWT_MAX_LIFETIME is 24 h by default: a year-long token is refused though unexpired and well signed
        refused(TestCredentials.accessToken("mallory", Set.of("user"), Duration.ofDays(365)));
        refused(TestJwks.rs256(TestJwks.claims("mallory", Set.of("user")).expiresIn(Duration.ofHours(25))));
        accepted(TestCredentials.accessToken("alice", Set.of("user"), Duration.ofHours(23)));
    }

    @Test
    void anIdentityProviderTokenFromTheKeySetWorksWithItsSubjectAndRoles() {
        DefaultCredentialsCallback.anonymous();
        String subject = "idp-" + UUID.randomUUID().toString().substring(0, 8);
        // preferred_username differs from sub: the caller is sub (JWT_PRINCIPAL_CLAIM)
        String rs256 = TestJwks.rs256(TestJwks.claims(subject, Set.of("user")).preferredUserName("display-name"));
        accepted(rs256);
        given().header("Authorization", "Bearer " + rs256)
                .get("/sessions/user/" + subject)
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + rs256)
                .get("/sessions/user/display-name")
                .then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + rs256)
                .get("/system/stats")
                .then()
                .statusCode(403);
        accepted(TestJwks.es256(TestJwks.claims(subject, Set.of("user"))));
    }

    @Test
    void aRefreshTokenUsedTwiceIsRefusedAndRevokesItsFamily() {
        String username = "u-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"user\"]}")
                .post("/api/v1/auth/users")
                .then()
                .statusCode(201);
        DefaultCredentialsCallback.anonymous();
        String first = given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .path("refresh_token");
        JsonPath rotated = refresh(first, 200);
        String second = rotated.getString("refresh_token");
        accepted(rotated.getString("access_token"));

        // the stolen first token is replayed: refused, and the family's newer token dies with it
        refresh(first, 401);
        refresh(second, 401);

        // a new login starts a new family
        String fresh = given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .path("refresh_token");
        refresh(fresh, 200);
    }

    @Test
    void aRefreshTokenIsNoAccessTokenAndAnAccessTokenNoRefreshToken() {
        String username = "u-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"user\"]}")
                .post("/api/v1/auth/users")
                .then()
                .statusCode(201);
        DefaultCredentialsCallback.anonymous();
        JsonPath tokens = given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        refused(tokens.getString("refresh_token"));
        refresh(tokens.getString("access_token"), 401);
        // an access-shaped token with the refresh claims, signed with the access key, is no refresh token either
        refresh(
                Jwt.issuer("switchboard")
                        .audience("switchboard-refresh")
                        .subject(username)
                        .claim("token_use", "refresh")
                        .claim("fam", "forged")
                        .claim("jti", UUID.randomUUID().toString())
                        .expiresIn(Duration.ofDays(1))
                        .signWithSecret(TestCredentials.JWT_SECRET),
                401);
    }

    private static JsonPath refresh(String refreshToken, int status) {
        return given().contentType("application/json")
                .body("{\"refresh_token\":\"" + refreshToken + "\"}")
                .post("/api/v1/auth/refresh")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }
}
