package dev.switchboard.common.problem;

/**
 * The problem types every service answers the same way, raised by the shared mappers
 * ({@link ProblemExceptionMappers}, {@code BodySizeLimit}) or by service code that reports a shared kind.
 * Each carries the {@link Scope} of operations it can be answered by, from which the OpenAPI document lists it.
 */
public enum CommonProblem implements ProblemType {

    /** A parameter or body field breaks a rule; {@code errors[]} names each field. */
    VALIDATION_FAILED("validation-failed", 400, "Request validation failed", Scope.OPERATION_WITH_INPUT),
    /** The body is not JSON, a field has the wrong type or shape, or JSON is nested too deep. */
    MALFORMED_REQUEST("malformed-request", 400, "Malformed request body", Scope.OPERATION_WITH_BODY),
    /** A text holds U+0000 or an unpaired surrogate, which PostgreSQL cannot store. */
    INVALID_TEXT("invalid-text", 400, "Text cannot be stored", Scope.OPERATION_WITH_BODY),
    /** The HTTP layer refused the request for another reason, or an operation refuses a combination of inputs. */
    BAD_REQUEST("bad-request", 400, "Bad Request", Scope.DECLARED),
    /** No credentials were sent. */
    AUTHENTICATION_REQUIRED("authentication-required", 401, "Authentication required", Scope.SECURED_OPERATION),
    /** The API key or token is unknown, expired or not valid for this service. */
    INVALID_CREDENTIALS("invalid-credentials", 401, "Invalid credentials", Scope.SECURED_OPERATION),
    /** The credentials do not grant the operation. */
    FORBIDDEN("forbidden", 403, "Forbidden", Scope.SECURED_OPERATION),
    /** No operation has this path. */
    NOT_FOUND("not-found", 404, "Not Found", Scope.UNMATCHED_REQUEST),
    /** The path has no operation for this method. */
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method Not Allowed", Scope.UNMATCHED_REQUEST),
    /** The operation cannot answer in a media type the {@code Accept} header allows. */
    NOT_ACCEPTABLE("not-acceptable", 406, "Not Acceptable", Scope.EVERY_OPERATION),
    /** {@code Content-Length} is over the service's body limit; refused before the body is read. */
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large", Scope.OPERATION_WITH_BODY),
    /** The operation does not read the body's {@code Content-Type}. */
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported Media Type", Scope.OPERATION_WITH_BODY),
    /** Anything unexpected; the detail is generic and the stack trace goes to the log only. */
    INTERNAL_ERROR("internal-error", 500, "Internal error", Scope.EVERY_OPERATION),
    /** A connection pool's wait queue is full; {@code Retry-After: 1}. */
    OVERLOADED("overloaded", 503, "Service overloaded", Scope.EVERY_OPERATION);

    /** Which operations can answer a common problem type. */
    public enum Scope {
        /** Every operation. */
        EVERY_OPERATION,
        /** Operations that need credentials (not {@code @PermitAll}). */
        SECURED_OPERATION,
        /** Operations with parameters or a request body. */
        OPERATION_WITH_INPUT,
        /** Operations with a request body. */
        OPERATION_WITH_BODY,
        /** Only the operations that declare it. */
        DECLARED,
        /** No operation: the answer to a request that matches none. */
        UNMATCHED_REQUEST
    }

    private final String slug;
    private final int status;
    private final String title;
    private final Scope scope;

    CommonProblem(String slug, int status, String title, Scope scope) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.scope = scope;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }

    /** @return which operations can answer it */
    public Scope scope() {
        return scope;
    }
}
