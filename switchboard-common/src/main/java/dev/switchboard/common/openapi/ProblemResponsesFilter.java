package dev.switchboard.common.openapi;

import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemType;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;

/**
 * Adds to every operation of the OpenAPI document the problem types it can answer, as
 * {@code application/problem+json} responses with the {@value #PROBLEM_SCHEMA} schema and one example per type:
 * the shared types by their {@link CommonProblem.Scope} (every operation, secured ones, those with input or a
 * body), plus those its resource method or class declares with a {@link ProblemDeclaration} annotation.
 *
 * <p>A service opts in by declaring problem types on at least one resource method; until then its document is left
 * as it is. A resource method the document leaves out (hidden) is skipped here; {@code OpenApiContract} in the
 * test-jar reports it. Runs once, when the application is built.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {

    /** Name of the problem body schema in {@code components/schemas}. */
    public static final String PROBLEM_SCHEMA = "Problem";

    private static final String FIELD_ERROR_SCHEMA = "ProblemFieldError";
    private static final DotName PATH = DotName.createSimple(Path.class);

    private final IndexView index;

    /** @param index the application's classes, to find its resource classes */
    public ProblemResponsesFilter(IndexView index) {
        this.index = index;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        List<ResourceMethod> methods = resourceMethods();
        if (methods.stream().allMatch(method -> method.declaredProblems().isEmpty()) || openAPI.getPaths() == null) {
            return;
        }
        addSchemas(openAPI);
        for (ResourceMethod method : methods) {
            PathItem item = openAPI.getPaths().getPathItem(method.path());
            Operation operation = item == null || item.getOperations() == null
                    ? null
                    : item.getOperations().get(PathItem.HttpMethod.valueOf(method.httpMethod()));
            if (operation != null) {
                addProblemResponses(operation, problemTypes(method, operation));
            }
        }
    }

    /** The shared types the operation's scope gives it, then the declared ones. */
    private static Set<ProblemType> problemTypes(ResourceMethod method, Operation operation) {
        boolean body = operation.getRequestBody() != null;
        boolean input = body
                || (operation.getParameters() != null
                        && !operation.getParameters().isEmpty());
        Set<ProblemType> types = new LinkedHashSet<>();
        for (CommonProblem type : CommonProblem.values()) {
            boolean applies = switch (type.scope()) {
                case EVERY_OPERATION -> true;
                case SECURED_OPERATION -> method.secured();
                case OPERATION_WITH_INPUT -> input;
                case OPERATION_WITH_BODY -> body;
                case DECLARED, UNMATCHED_REQUEST -> false;
            };
            if (applies) {
                types.add(type);
            }
        }
        types.addAll(method.declaredProblems());
        return types;
    }

    /**
     * One response per status; a response the document already has for that status (a generic 401 or 400 the
     * OpenAPI extension adds, or one written by hand) keeps its other content and gets the problem body added.
     */
    private static void addProblemResponses(Operation operation, Set<ProblemType> types) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        Map<Integer, List<ProblemType>> byStatus =
                types.stream().collect(Collectors.groupingBy(ProblemType::status, TreeMap::new, Collectors.toList()));
        byStatus.forEach((status, ofStatus) -> {
            String code = String.valueOf(status);
            APIResponse response = responses.getAPIResponse(code);
            if (response == null) {
                response = OASFactory.createAPIResponse();
                responses.addAPIResponse(code, response);
            }
            if (response.getContent() == null) {
                response.setContent(OASFactory.createContent());
            }
            Content content = response.getContent();
            MediaType problem = content.getMediaType(Problem.MEDIA_TYPE);
            if (problem == null) {
                problem = OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA));
                content.addMediaType(Problem.MEDIA_TYPE, problem);
            }
            for (ProblemType type : ofStatus) {
                Map<String, Object> example = new LinkedHashMap<>();
                example.put("type", type.uri());
                example.put("title", type.title());
                example.put("status", type.status());
                problem.addExample(
                        type.slug(),
                        OASFactory.createExample().summary(type.title()).value(example));
            }
            response.setDescription(problem.getExamples().keySet().stream()
                    .map(slug -> "`" + slug + "`")
                    .collect(Collectors.joining(", ")));
        });
        // by status, as readers scan them (the OpenAPI extension's own 401 and 403 would otherwise come first)
        Map<String, APIResponse> sorted = new TreeMap<>(
                Comparator.comparing((String code) -> code.equals("default")).thenComparing(Comparator.naturalOrder()));
        sorted.putAll(responses.getAPIResponses());
        responses.setAPIResponses(sorted);
    }

    private static void addSchemas(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSchema(
                FIELD_ERROR_SCHEMA,
                OASFactory.createSchema()
                        .addType(Schema.SchemaType.OBJECT)
                        .description("One invalid field of a request")
                        .addProperty(
                                "field",
                                text("The JSON property (snake_case, a JSON path such as messages.[1].content"
                                        + " when nested), parameter or header name"))
                        .addProperty("message", text("What is wrong with it"))
                        .required(List.of("field", "message")));
        components.addSchema(
                PROBLEM_SCHEMA,
                OASFactory.createSchema()
                        .addType(Schema.SchemaType.OBJECT)
                        .description("RFC 9457 problem details; every 4xx and 5xx body")
                        .addProperty(
                                "type",
                                text("Stable URI naming the kind of problem").format("uri"))
                        .addProperty("title", text("Short summary of the kind, the same for every occurrence"))
                        .addProperty(
                                "status",
                                OASFactory.createSchema()
                                        .addType(Schema.SchemaType.INTEGER)
                                        .format("int32")
                                        .description("The HTTP status"))
                        .addProperty("detail", text("What went wrong this time, safe to show"))
                        .addProperty("instance", text("The request path"))
                        .addProperty(
                                "errors",
                                OASFactory.createSchema()
                                        .addType(Schema.SchemaType.ARRAY)
                                        .description("Present for field problems only")
                                        .items(OASFactory.createSchema().ref(FIELD_ERROR_SCHEMA)))
                        .required(List.of("type", "title", "status")));
    }

    private static Schema text(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }

    /** The resource methods of the application's {@code @Path} classes. */
    private List<ResourceMethod> resourceMethods() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Set<String> classes = new LinkedHashSet<>();
        for (AnnotationInstance path : index.getAnnotations(PATH)) {
            if (path.target().kind() == AnnotationTarget.Kind.CLASS) {
                classes.add(path.target().asClass().name().toString());
            }
        }
        List<ResourceMethod> methods = new ArrayList<>();
        for (String name : classes) {
            try {
                methods.addAll(ResourceMethod.of(Class.forName(name, false, loader)));
            } catch (ClassNotFoundException | LinkageError e) {
                // a library's @Path class whose dependencies are absent: the application cannot serve it either
                continue;
            }
        }
        return methods;
    }
}
