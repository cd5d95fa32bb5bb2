package dev.switchboard.common.test;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds every JAX-RS endpoint of a service (the {@code @Path} classes under {@code target/classes}) and checks
 * what each protected one must do, so that no endpoint is open by accident: 401 problem+json without credentials,
 * 403 problem+json with a role it does not allow, 401 with an expired access token, and not 401/403 with a valid
 * access token of a role it allows, Switchboard's own or the identity provider's ({@link TestJwks}). {@code @PermitAll} endpoints must answer without credentials.
 */
public final class EndpointSecurity {

    /** One endpoint: HTTP method, path (parameters filled with {@code 1}), allowed roles or public. */
    public record Endpoint(
            String httpMethod, String path, Set<String> roles, boolean permitAll, boolean streaming, String source) {

        @Override
        public String toString() {
            return httpMethod + " " + path + " (" + source + ")";
        }
    }

    /** Credentials per role, in the order a "wrong role" is chosen. */
    private static final Map<String, String> KEY_OF_ROLE = Map.of(
            "user", TestCredentials.USER_KEY,
            "agent", TestCredentials.AGENT_KEY,
            "service", TestCredentials.SERVICE_TOKEN,
            "admin", TestCredentials.ADMIN_KEY);

    private static final List<String> ROLE_ORDER = List.of("user", "agent", "service", "admin");

    private EndpointSecurity() {}

    /**
     * @param packagePrefix e.g. {@code dev.switchboard.state}
     * @return every endpoint of the resource classes compiled into {@code target/classes} under that package
     */
    public static List<Endpoint> discover(String packagePrefix) {
        java.nio.file.Path root = java.nio.file.Path.of("target/classes");
        List<Endpoint> endpoints = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            for (java.nio.file.Path file :
                    files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (!name.startsWith(packagePrefix) || name.contains("$")) {
                    continue;
                }
                Class<?> type =
                        Class.forName(name, false, Thread.currentThread().getContextClassLoader());
                if (type.isInterface()
                        || Modifier.isAbstract(type.getModifiers())
                        || !type.isAnnotationPresent(Path.class)) {
                    continue;
                }
                endpoints.addAll(endpointsOf(type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        endpoints.sort(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::httpMethod));
        return endpoints;
    }

    private static List<Endpoint> endpointsOf(Class<?> type) {
        List<Endpoint> endpoints = new ArrayList<>();
        String base = type.getAnnotation(Path.class).value();
        for (Method method : type.getMethods()) {
            String verb = verb(method);
            if (verb == null) {
                continue;
            }
            Path sub = method.getAnnotation(Path.class);
            String path = ("/" + base + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            path = path.replaceAll("\\{[^}]+}", "1");
            RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class)
                    ? method.getAnnotation(RolesAllowed.class)
                    : method.isAnnotationPresent(PermitAll.class) ? null : type.getAnnotation(RolesAllowed.class);
            boolean permitAll = method.isAnnotationPresent(PermitAll.class)
                    || (roles == null && type.isAnnotationPresent(PermitAll.class));
            Produces produces = method.getAnnotation(Produces.class);
            boolean streaming =
                    produces != null && Arrays.asList(produces.value()).contains(MediaType.SERVER_SENT_EVENTS);
            endpoints.add(new Endpoint(
                    verb,
                    path,
                    roles == null ? Set.of() : new LinkedHashSet<>(List.of(roles.value())),
                    permitAll,
                    streaming,
                    type.getSimpleName() + "." + method.getName()));
        }
        return endpoints;
    }

    private static String verb(Method method) {
        if (method.isAnnotationPresent(GET.class)) {
            return "GET";
        }
        if (method.isAnnotationPresent(POST.class)) {
            return "POST";
        }
        if (method.isAnnotationPresent(PUT.class)) {
            return "PUT";
        }
        if (method.isAnnotationPresent(DELETE.class)) {
            return "DELETE";
        }
        if (method.isAnnotationPresent(PATCH.class)) {
            return "PATCH";
        }
        return null;
    }

    /**
     * Discovers the endpoints under {@code packagePrefix} and runs {@link #violations(List)} on them.
     *
     * @param minimum the fewest endpoints the service has (so the check can never pass on an empty scan)
     * @return the endpoints checked
     * @throws AssertionError listing every violation
     */
    public static List<Endpoint> assertSecured(String packagePrefix, int minimum) {
        List<Endpoint> endpoints = discover(packagePrefix);
        if (endpoints.size() < minimum) {
            throw new AssertionError("found " + endpoints.size() + " endpoints under " + packagePrefix
                    + ", expected at least " + minimum + ": " + endpoints);
        }
        List<String> violations = violations(endpoints);
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " security violations:\n" + String.join("\n", violations));
        }
        return endpoints;
    }

    /**
     * Runs every check on every endpoint.
     *
     * @return one line per violation; empty when every endpoint behaves
     */
    public static List<String> violations(List<Endpoint> endpoints) {
        DefaultCredentialsCallback.anonymous();
        List<String> violations = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            if (endpoint.permitAll()) {
                if (endpoint.streaming()) {
                    continue;
                }
                int status = send(given(), endpoint).statusCode();
                if (status == 401 || status == 403) {
                    violations.add(endpoint + ": public but answered " + status + " without credentials");
                }
                continue;
            }
            if (endpoint.roles().isEmpty()) {
                violations.add(endpoint + ": neither @RolesAllowed nor @PermitAll");
                continue;
            }
            expectProblem(
                    violations, endpoint, "no credentials", send(given(), endpoint), 401, "authentication-required");
            ROLE_ORDER.stream()
                    .filter(role -> !endpoint.roles().contains(role))
                    .findFirst()
                    .ifPresent(wrong -> expectProblem(
                            violations,
                            endpoint,
                            "role " + wrong,
                            send(bearer(KEY_OF_ROLE.get(wrong)), endpoint),
                            403,
                            "forbidden"));
            String allowed = endpoint.roles().iterator().next();
            expectProblem(
                    violations,
                    endpoint,
                    "expired token",
                    send(bearer(TestCredentials.expiredAccessToken("expired-" + allowed, Set.of(allowed))), endpoint),
                    401,
                    "invalid-credentials");
            expectProblem(
                    violations,
                    endpoint,
                    "unknown API key",
                    send(bearer("sb_not_a_key_" + allowed), endpoint),
                    401,
                    "invalid-credentials");
            if (!endpoint.streaming()) {
                // subject "1" = the path parameters' value, so endpoints that check ownership see their owner
                int status = send(
                                bearer(TestCredentials.accessToken("1", Set.of(allowed), Duration.ofMinutes(5))),
                                endpoint)
                        .statusCode();
                if (status == 401 || status == 403) {
                    violations.add(endpoint + ": a valid access token with role " + allowed + " got " + status);
                }
                int external = send(bearer(TestJwks.token("1", Set.of(allowed))), endpoint)
                        .statusCode();
                if (external == 401 || external == 403) {
                    violations.add(endpoint + ": a valid identity provider token (JWT_JWKS_URL) with role " + allowed
                            + " got " + external);
                }
            }
        }
        return violations;
    }

    private static RequestSpecification bearer(String credential) {
        return given().header("Authorization", TestCredentials.bearer(credential));
    }

    private static Response send(RequestSpecification request, Endpoint endpoint) {
        RequestSpecification spec = request;
        if (!endpoint.httpMethod().equals("GET") && !endpoint.httpMethod().equals("DELETE")) {
            spec = spec.contentType("application/json").body("{}");
        }
        return spec.request(endpoint.httpMethod(), endpoint.path()).thenReturn();
    }

    private static void expectProblem(
            List<String> violations, Endpoint endpoint, String what, Response response, int status, String type) {
        String contentType = response.contentType();
        String body = response.asString();
        if (response.statusCode() != status
                || contentType == null
                || !contentType.startsWith("application/problem+json")
                || !body.contains("/" + type + "\"")) {
            violations.add(endpoint + ", " + what + ": expected " + status + " " + type + " problem, got "
                    + response.statusCode() + " " + contentType + " "
                    + body.substring(0, Math.min(200, body.length())));
        }
        if (status == 401 && response.header("WWW-Authenticate") == null) {
            violations.add(endpoint + ", " + what + ": 401 without WWW-Authenticate");
        }
    }
}
