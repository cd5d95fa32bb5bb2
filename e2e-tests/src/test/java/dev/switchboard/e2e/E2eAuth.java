package dev.switchboard.e2e;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The credentials of the end-to-end suite: every service process gets the same service token, JWT secret
 * and API key hashes, as {@code ./switchboard up} gives them; test requests send the admin key unless a test sends
 * other credentials. Drawn at random for each run, as a deployment's are: the packaged services refuse values
 * written in the repository.
 */
final class E2eAuth {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** API key of principal {@code e2e-admin}, role admin. */
    static final String ADMIN_KEY = "sb_admin_" + randomHex();
    /** API key of principal {@code e2e-user}, role user. */
    static final String USER_KEY = "sb_chat_" + randomHex();
    /** Principal of {@link #USER_KEY}. */
    static final String USER = "e2e-user";
    /** Password of the supervisor's bootstrap administrator {@code admin}. */
    static final String ADMIN_PASSWORD = randomHex().substring(0, 24);

    private static final String SERVICE_TOKEN = randomHex();
    private static final String JWT_SECRET = randomHex();

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

    /** @return 32 random bytes as 64 hex digits, as {@code ./switchboard secrets} makes them */
    private static String randomHex() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
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
