package dev.switchboard.common.test;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.util.List;

/**
 * Before each {@code @QuarkusTest} method, RestAssured sends {@code Authorization: Bearer <admin key>} on every
 * request that carries no {@code Authorization} header of its own, so tests of behaviour other than security need
 * no credentials. Security tests call {@link #anonymous()} first, then send exactly the credentials they test.
 */
public class DefaultCredentialsCallback implements QuarkusTestBeforeEachCallback {

    private static final Filter ADMIN_BY_DEFAULT = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY));
        }
        return context.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.replaceFiltersWith(List.of(ADMIN_BY_DEFAULT));
    }

    /** Drops the default credentials for the rest of the current test method. */
    public static void anonymous() {
        RestAssured.replaceFiltersWith(List.of());
    }
}
