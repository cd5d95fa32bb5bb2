package dev.switchboard.common.test;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.openapi.ResourceMethod;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemType;
import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a running service's {@code /q/openapi} document against what the service serves and can answer: every
 * resource method of the application (found among its CDI beans, not from a list) is an operation with a success
 * answer, each with a body schema but 204, and, when it reads a body, a request body schema; every 4xx/5xx answer is
 * {@code application/problem+json};
 * and every problem type of the service's catalogue, and every shared type not limited to declaring operations,
 * is an example of some operation's problem answer, and no slug is defined twice. Call it from a
 * {@code @QuarkusTest}.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApiContract() {}

    /**
     * @param serviceProblems the service's own catalogue, e.g. {@code StateProblem.values()}
     * @return the resource methods checked
     * @throws AssertionError listing every endpoint or problem type missing from the document
     */
    public static List<ResourceMethod> assertComplete(ProblemType... serviceProblems) {
        List<ResourceMethod> served = servedResourceMethods();
        if (served.isEmpty()) {
            throw new AssertionError("the application has no resource methods: nothing to check");
        }
        JsonNode document = fetchDocument();
        List<String> violations = new ArrayList<>();
        Set<String> referenced = new TreeSet<>();
        for (ResourceMethod method : served) {
            JsonNode operation = document.path("paths")
                    .path(method.path())
                    .path(method.httpMethod().toLowerCase(Locale.ROOT));
            if (operation.isMissingNode()) {
                violations.add(method + " (" + source(method) + "): not in the OpenAPI document");
                continue;
            }
            violations.addAll(checkOperation(method, operation, referenced));
        }
        Set<ProblemType> catalogue = new LinkedHashSet<>(Arrays.asList(serviceProblems));
        catalogue.addAll(EnumSet.allOf(CommonProblem.class));
        catalogue.stream()
                .collect(Collectors.groupingBy(ProblemType::slug, Collectors.counting()))
                .forEach((slug, count) -> {
                    if (count > 1) {
                        violations.add("problem type " + slug + ": defined " + count + " times");
                    }
                });
        for (ProblemType type : catalogue) {
            boolean required = !(type instanceof CommonProblem common)
                    || (common.scope() != CommonProblem.Scope.DECLARED
                            && common.scope() != CommonProblem.Scope.UNMATCHED_REQUEST);
            boolean listed = referenced.remove(type.uri());
            if (required && !listed) {
                violations.add("problem type " + type.slug() + ": no operation's answers list it");
            }
        }
        referenced.forEach(uri -> violations.add("problem type " + uri + ": in the document but in no catalogue"));
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " gaps in /q/openapi:\n" + String.join("\n", violations));
        }
        return served;
    }

    private static List<String> checkOperation(ResourceMethod method, JsonNode operation, Set<String> referenced) {
        List<String> violations = new ArrayList<>();
        String where = method + " (" + source(method) + ")";
        JsonNode responses = operation.path("responses");
        boolean success = false;
        for (Map.Entry<String, JsonNode> entry : responses.properties()) {
            String code = entry.getKey();
            success |= code.startsWith("2");
            if (code.startsWith("2")
                    && !code.equals("204")
                    && entry.getValue().path("content").isEmpty()) {
                violations.add(where + ": answers " + code + " without a body schema");
            }
            if (code.startsWith("4") || code.startsWith("5")) {
                JsonNode problem = entry.getValue().path("content").path(Problem.MEDIA_TYPE);
                if (problem.isMissingNode()) {
                    violations.add(where + ": answers " + code + " without an " + Problem.MEDIA_TYPE + " body");
                }
                problem.path("examples")
                        .forEach(example -> referenced.add(
                                example.path("value").path("type").asText()));
            }
        }
        if (!success) {
            violations.add(where + ": no success answer");
        }
        if (readsBody(method) && operation.path("requestBody").path("content").isEmpty()) {
            violations.add(where + ": reads a body but documents no request body");
        }
        return violations;
    }

    /** The application's resource methods: those of its CDI beans annotated {@code @Path}. */
    private static List<ResourceMethod> servedResourceMethods() {
        Set<Class<?>> resources = new LinkedHashSet<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            if (bean.getBeanClass().isAnnotationPresent(Path.class)) {
                resources.add(bean.getBeanClass());
            }
        }
        return resources.stream()
                .flatMap(resource -> ResourceMethod.of(resource).stream())
                .toList();
    }

    private static JsonNode fetchDocument() {
        String body = given().accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a parameter is the request entity: no JAX-RS or Quarkus REST annotation, not a context object. */
    private static boolean readsBody(ResourceMethod method) {
        for (Parameter parameter : method.method().getParameters()) {
            boolean bound = Stream.of(parameter.getAnnotations())
                    .map(Annotation::annotationType)
                    .map(Class::getPackageName)
                    .anyMatch(
                            name -> name.startsWith("jakarta.ws.rs") || name.startsWith("org.jboss.resteasy.reactive"));
            String type = parameter.getType().getPackageName();
            boolean context = type.startsWith("jakarta.ws.rs")
                    || type.startsWith("org.jboss.resteasy.reactive")
                    || type.startsWith("io.vertx")
                    || type.startsWith("io.quarkus.security");
            if (!bound && !context) {
                return true;
            }
        }
        return false;
    }

    private static String source(ResourceMethod method) {
        return method.resource().getSimpleName() + "." + method.method().getName();
    }
}
