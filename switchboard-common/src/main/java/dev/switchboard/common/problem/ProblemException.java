package dev.switchboard.common.problem;

import java.util.List;
import java.util.Map;

/**
 * Base of every domain exception: carries the RFC 9457 type, title and status so that one mapper
 * ({@link ProblemExceptionMappers}) turns it into a problem response.
 */
public class ProblemException extends RuntimeException {

    private final String type;
    private final String title;
    private final int status;
    private final transient List<Problem.FieldError> errors;
    private final transient Map<String, String> headers;

    /**
     * @param slug   last segment of the type URI, e.g. {@code agent-not-found}
     * @param title  short summary of the kind
     * @param status HTTP status
     * @param detail explanation of this occurrence (safe to show to clients)
     */
    public ProblemException(String slug, String title, int status, String detail) {
        this(slug, title, status, detail, null, Map.of(), null);
    }

    /**
     * Full constructor.
     *
     * @param errors  field errors for validation problems, or {@code null}
     * @param headers extra response headers, e.g. {@code Retry-After}
     * @param cause   underlying cause (logged, never sent)
     */
    public ProblemException(String slug, String title, int status, String detail, List<Problem.FieldError> errors,
            Map<String, String> headers, Throwable cause) {
        super(detail, cause);
        this.type = slug.startsWith("http") ? slug : Problem.TYPE_BASE + slug;
        this.title = title;
        this.status = status;
        this.errors = errors;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** @return the problem type URI */
    public String type() {
        return type;
    }

    /** @return the problem title */
    public String title() {
        return title;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return field errors, or {@code null} */
    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** @return extra response headers (never null) */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the problem body for a request on {@code instance} */
    public Problem toProblem(String instance) {
        return new Problem(type, title, status, getMessage(), instance, errors);
    }
}
