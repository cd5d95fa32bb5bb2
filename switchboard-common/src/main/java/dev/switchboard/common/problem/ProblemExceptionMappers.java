package dev.switchboard.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.switchboard.common.json.JacksonCustomizer;
import dev.switchboard.common.text.UnstorableTextException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become RFC 9457 {@code application/problem+json} responses.
 * Domain exceptions carry their own type; validation is 400 with {@code errors}; malformed JSON is 400;
 * JAX-RS errors keep their status; anything else is a 500 with a generic detail (the stack trace goes
 * to the log only).
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    /** Maps a domain exception to its own problem. */
    @ServerExceptionMapper
    public Response mapProblem(ProblemException e, UriInfo uri) {
        if (e.status() >= 500) {
            // Overload and peer trouble (open breakers, timeouts) can come in floods: one line each at WARN,
            // the cause's stack trace only at DEBUG.
            Throwable cause = e.getCause();
            LOG.warnf(
                    "%s %s: %s%s",
                    e.status(),
                    e.type(),
                    e.getMessage(),
                    cause == null
                            ? ""
                            : " (cause: " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")");
            if (cause != null && LOG.isDebugEnabled()) {
                LOG.debugf(cause, "Cause of %s", e.type());
            }
        }
        Response.ResponseBuilder builder =
                Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem(path(uri)));
        e.headers().forEach(builder::header);
        return builder.build();
    }

    /** Bean Validation failures: 400 with one entry per invalid field. */
    @ServerExceptionMapper
    public Response mapValidation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail =
                errors.stream().map(err -> err.field() + ": " + err.message()).collect(Collectors.joining("; "));
        return problem(CommonProblem.VALIDATION_FAILED, detail, uri, errors);
    }

    /**
     * Malformed or mistyped JSON bodies: 400 {@code malformed-request}, naming the field in {@code errors} when
     * one is at fault; nesting deeper than the limit is refused as soon as the parser reaches it. Text that
     * cannot be stored (U+0000, a lone surrogate) is 400 {@code invalid-text} naming the field.
     */
    @ServerExceptionMapper({JsonProcessingException.class})
    public Response mapJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof UnstorableTextException text) {
            String field = fieldPath(text);
            return problem(
                    CommonProblem.INVALID_TEXT,
                    "Field '" + field + "' " + text.reason(),
                    uri,
                    List.of(new Problem.FieldError(field, text.reason())));
        }
        if (causedBy(e, StreamConstraintsException.class)) {
            return problem(
                    CommonProblem.MALFORMED_REQUEST,
                    "The request body is nested deeper than " + JacksonCustomizer.MAX_NESTING_DEPTH
                            + " levels or exceeds another JSON size limit",
                    uri,
                    null);
        }
        if (e instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            String field = fieldPath(mismatch);
            String message = e instanceof InvalidFormatException
                    ? "has the wrong type"
                    : "has the wrong type or shape" + expected(mismatch);
            return problem(
                    CommonProblem.MALFORMED_REQUEST,
                    "Field '" + field + "' " + message,
                    uri,
                    List.of(new Problem.FieldError(field, message)));
        }
        return problem(CommonProblem.MALFORMED_REQUEST, "The request body is not valid JSON", uri, null);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The JSON path of the field being read, e.g. {@code agent.examples.[2]}; {@code request} at the root. */
    private static String fieldPath(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return "request";
        }
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** What the reader expected, when Jackson said so in a form safe to show (no class names). */
    private static String expected(MismatchedInputException e) {
        String message = e.getOriginalMessage();
        return message != null && message.startsWith("expected a JSON string") ? ": " + message : "";
    }

    /**
     * Mistyped fields (e.g. {@code "state": "text"}): quarkus-rest-jackson ships its own exact-type mapper
     * for {@link MismatchedInputException} that answers plain JSON; this one wins (priority 1) so the
     * body stays a problem.
     */
    @ServerExceptionMapper(priority = 1)
    public Response mapMismatchedInput(MismatchedInputException e, UriInfo uri) {
        return mapJson(e, uri);
    }

    /** JAX-RS exceptions (404 unknown path, 405, 415, ...) keep their status. */
    @ServerExceptionMapper
    public Response mapWebApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse() != null ? e.getResponse().getStatus() : 500;
        if (status >= 500) {
            LOG.error("Unhandled web application error", e);
            return problem(CommonProblem.INTERNAL_ERROR, "An unexpected error occurred", uri, null);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return mapJson(json, uri);
        }
        CommonProblem type = switch (status) {
            case 400 -> CommonProblem.BAD_REQUEST;
            case 404 -> CommonProblem.NOT_FOUND;
            case 405 -> CommonProblem.METHOD_NOT_ALLOWED;
            case 406 -> CommonProblem.NOT_ACCEPTABLE;
            case 415 -> CommonProblem.UNSUPPORTED_MEDIA_TYPE;
            default -> null;
        };
        String detail =
                status == 400 && e.getMessage() != null && !e.getMessage().startsWith("HTTP ") ? e.getMessage() : null;
        if (type != null) {
            return problem(type, detail != null ? detail : type.title(), uri, null);
        }
        // A status no catalogue kind stands for (an exception that carries, say, a peer's 409): named after it.
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Request error";
        return problem(new Problem(Problem.TYPE_BASE + "http-" + status, title, status, title, path(uri), null));
    }

    /**
     * A connection pool (Redis, PostgreSQL, HTTP) whose wait queue is full: the service is overloaded, not
     * broken, so 503 with {@code Retry-After: 1} tells clients to come back.
     */
    @ServerExceptionMapper
    public Response mapPoolTooBusy(ConnectionPoolTooBusyException e, UriInfo uri) {
        LOG.warnf("Overloaded on %s: %s", path(uri), e.getMessage());
        Response response = problem(
                CommonProblem.OVERLOADED, "Too many requests are waiting for a connection; retry shortly", uri, null);
        return Response.fromResponse(response).header("Retry-After", "1").build();
    }

    /**
     * No credentials (401 {@code authentication-required}) or credentials that did not authenticate: an unknown
     * API key, a bad signature, an expired or refresh token (401 {@code invalid-credentials}). Both carry
     * {@code WWW-Authenticate: Bearer}; the detail never repeats the credential.
     */
    @ServerExceptionMapper({
        UnauthorizedException.class,
        AuthenticationFailedException.class,
        AuthenticationCompletionException.class
    })
    public Response mapUnauthenticated(RuntimeException e, UriInfo uri) {
        boolean missing = e instanceof UnauthorizedException;
        Response response = missing
                ? problem(
                        CommonProblem.AUTHENTICATION_REQUIRED,
                        "Send Authorization: Bearer <API key or access token>",
                        uri,
                        null)
                : problem(
                        CommonProblem.INVALID_CREDENTIALS,
                        "The API key or token is unknown, expired or not valid for this service",
                        uri,
                        null);
        return Response.fromResponse(response)
                .header("WWW-Authenticate", "Bearer")
                .build();
    }

    /** Authenticated but without the role the operation needs (e.g. {@code admin}), or not the owner: 403. */
    @ServerExceptionMapper
    public Response mapForbidden(ForbiddenException e, UriInfo uri) {
        String detail = e.getMessage() != null && !e.getMessage().isBlank()
                ? e.getMessage()
                : "Your credentials do not grant this operation";
        return problem(CommonProblem.FORBIDDEN, detail, uri, null);
    }

    /** Anything else: 500 with a generic detail; the stack trace goes to the log. */
    @ServerExceptionMapper
    public Response mapUnexpected(Exception e, UriInfo uri) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof ConnectionPoolTooBusyException busy) {
                return mapPoolTooBusy(busy, uri);
            }
        }
        LOG.errorf(e, "Unhandled error on %s", path(uri));
        return problem(CommonProblem.INTERNAL_ERROR, "An unexpected error occurred", uri, null);
    }

    private static Response problem(ProblemType type, String detail, UriInfo uri, List<Problem.FieldError> errors) {
        return problem(new Problem(type.uri(), type.title(), type.status(), detail, path(uri), errors));
    }

    private static Response problem(Problem body) {
        return Response.status(body.status())
                .type(Problem.MEDIA_TYPE)
                .entity(body)
                .build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    /** The last node of a violation path: the parameter or field name, e.g. {@code message}. */
    private static String field(ConstraintViolation<?> v) {
        String last = null;
        for (var node : v.getPropertyPath()) {
            if (node.getName() != null) {
                last = node.getName();
            }
        }
        return last == null ? "request" : toSnakeCase(last);
    }

    private static String toSnakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
