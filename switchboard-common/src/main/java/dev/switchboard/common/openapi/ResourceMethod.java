package dev.switchboard.common.openapi;

import dev.switchboard.common.problem.ProblemType;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One JAX-RS resource method, read from its annotations: the HTTP method and path template it serves, as the
 * OpenAPI document names them ({@code /sessions/{id}}, regular expressions of path parameters left out).
 *
 * @param httpMethod e.g. {@code GET}
 * @param path       e.g. {@code /sessions/{id}}
 * @param method     the Java method
 */
public record ResourceMethod(String httpMethod, String path, Method method) {

    /**
     * @param resource a class annotated {@code @Path}
     * @return its resource methods (sub-resource locators left out), sorted by path and HTTP method
     */
    public static List<ResourceMethod> of(Class<?> resource) {
        Path base = resource.getAnnotation(Path.class);
        if (base == null || resource.isInterface() || Modifier.isAbstract(resource.getModifiers())) {
            return List.of();
        }
        List<ResourceMethod> methods = new ArrayList<>();
        for (Method method : resource.getMethods()) {
            String verb = httpMethod(method);
            if (verb != null) {
                Path sub = method.getAnnotation(Path.class);
                methods.add(new ResourceMethod(verb, template(base.value(), sub == null ? "" : sub.value()), method));
            }
        }
        methods.sort(Comparator.comparing(ResourceMethod::path).thenComparing(ResourceMethod::httpMethod));
        return methods;
    }

    /** @return {@code GET /sessions/{id}} */
    @Override
    public String toString() {
        return httpMethod + " " + path;
    }

    /** @return the resource class */
    public Class<?> resource() {
        return method.getDeclaringClass();
    }

    /**
     * @return whether calling it needs credentials: not {@code @PermitAll} (the method's security annotation wins
     *         over the class's; without any, the services deny the call)
     */
    public boolean secured() {
        for (AnnotatedElement element : List.of(method, method.getDeclaringClass())) {
            if (element.isAnnotationPresent(PermitAll.class)) {
                return false;
            }
            if (element.isAnnotationPresent(RolesAllowed.class)
                    || element.isAnnotationPresent(Authenticated.class)
                    || element.isAnnotationPresent(DenyAll.class)) {
                return true;
            }
        }
        return true;
    }

    /**
     * @return the problem types declared for it with {@link ProblemDeclaration} annotations, on the class and on the
     *         method, in declaration order
     * @throws IllegalStateException when such an annotation's {@code value()} is not an array of problem types
     */
    public Set<ProblemType> declaredProblems() {
        Set<ProblemType> types = new LinkedHashSet<>();
        for (AnnotatedElement element : List.of(method.getDeclaringClass(), method)) {
            for (Annotation annotation : element.getAnnotations()) {
                if (annotation.annotationType().isAnnotationPresent(ProblemDeclaration.class)) {
                    types.addAll(Arrays.asList(problemTypes(annotation)));
                }
            }
        }
        return types;
    }

    private static ProblemType[] problemTypes(Annotation annotation) {
        try {
            Object value = annotation.annotationType().getMethod("value").invoke(annotation);
            if (value instanceof ProblemType[] types) {
                return types;
            }
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            // reported below
        }
        throw new IllegalStateException("@" + annotation.annotationType().getName()
                + " is a @ProblemDeclaration but has no value() listing ProblemType constants");
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** Joins class and method paths the way the OpenAPI document does: one slash between parts, none at the end. */
    static String template(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        // {name: [0-9]+} → {name}
        return path.replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}");
    }
}
