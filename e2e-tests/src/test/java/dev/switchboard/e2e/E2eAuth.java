package dev.switchboard.e2e;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The credentials of the end-to-end suite: every service process gets the same service token, JWT secret
 * and API key hashes, as {@code ./switchboard up} gives them; test requests send the admin key unless a test sends
 * other credentials. Test values only.
 */
final class E2eAuth {

    /** API key of principal {@code e2e-admin}, role admin. */
    static final String ADMIN_KEY = "sb_e2e_admin_0123456789abcdef0123456789abcdef";
    /** API key of principal {@code e2e-user}, role user. */
    static final String USER_KEY = "sb_e2e_user_0123456789abcdef0123456789abcdef0";
    /** Principal of {@link #USER_KEY}. */
    static final String USER = "e2e-user";
    /** Password of the supervisor's bootstrap administrator {@code admin}. */
    static final String ADMIN_PASSWORD = "e2e-admin-password-0123";

    private static final String SERVICE_TOKEN = "e2e-service-token-0123456789abcdef0123456789";
    private static final String JWT_SECRET = "e2e-jwt-secret-0123456789abcdef0123456789abcdef";

    private E2eAuth() {}

    /** @return the environment that makes a service accept these credentials */
    static Map<String, String> serviceEnv() {
        return Map.of(
                "SWITCHBOARD_API_KEYS",
                        "e2e-admin:admin:" + sha256(ADMIN_KEY) + "," + USER + ":user:" + sha256(USER_KEY),
                "SERVICE_TOKEN", SERVICE_TOKEN,
                "JWT_SECRET_KEY", JWT_SECRET,
                "SWITCHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD);
    }

    /** RestAssured sends the admin key on requests without an {@code Authorization} header of their own. */
    static void adminByDefault() {
        Filter filter = (request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + ADMIN_KEY);
            }
            return context.next(request, response);
        };
        RestAssured.replaceFiltersWith(List.of(filter));
    }

    /** @return {@code builder} with the admin key */
    static HttpRequest.Builder admin(HttpRequest.Builder builder) {
        return builder.header("Authorization", "Bearer " + ADMIN_KEY);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
