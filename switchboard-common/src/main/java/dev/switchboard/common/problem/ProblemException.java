package dev.switchboard.common.problem;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Base of every domain exception: carries the RFC 9457 type, title and status so that one mapper
 * ({@link ProblemExceptionMappers}) turns it into a problem response. Subclasses take their kind from a
 * {@link ProblemType} catalogue constant and add only what is particular to the occurrence.
 */
public class ProblemException extends RuntimeException {

    private final String type;
    private final String title;
    private final int status;
    private final transient List<Problem.FieldError> errors;
    private final transient Map<String, String> headers;

    /**
     * @param type   the kind of problem
     * @param detail explanation of this occurrence (safe to show to clients)
     */
    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null, Map.of(), null);
    }

    /**
     * A problem about request fields: {@code errors[]} lists them and the detail joins them as
     * {@code field: message; field: message}, the shape Bean Validation failures have.
     *
     * @param type   the kind of problem, e.g. {@link CommonProblem#VALIDATION_FAILED}
     * @param errors the invalid fields, at least one
     */
    public ProblemException(ProblemType type, List<Problem.FieldError> errors) {
        this(
                type,
                errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")),
                List.copyOf(errors),
                Map.of(),
                null);
    }

    /**
     * Full constructor from a catalogue type.
     *
     * @param type    the kind of problem
     * @param detail  explanation of this occurrence (safe to show to clients)
     * @param errors  field errors for validation problems, or {@code null}
     * @param headers extra response headers, e.g. {@code Retry-After}
     * @param cause   underlying cause (logged, never sent)
     */
    public ProblemException(
            ProblemType type,
            String detail,
            List<Problem.FieldError> errors,
            Map<String, String> headers,
            Throwable cause) {
        this(type.uri(), type.title(), type.status(), detail, errors, headers, cause);
    }

    /**
     * For a kind not defined in a catalogue; prefer {@link #ProblemException(ProblemType, String)}.
     *
     * @param slug   last segment of the type URI, e.g. {@code agent-not-found}
     * @param title  short summary of the kind
     * @param status HTTP status
     * @param detail explanation of this occurrence (safe to show to clients)
     */
    public ProblemException(String slug, String title, int status, String detail) {
        this(slug, title, status, detail, null, Map.of(), null);
    }

    /**
     * Full constructor for a kind not defined in a catalogue; prefer
     * {@link #ProblemException(ProblemType, String, List, Map, Throwable)}.
     *
     * @param slug    last segment of the type URI, or the whole URI
     * @param errors  field errors for validation problems, or {@code null}
     * @param headers extra response headers, e.g. {@code Retry-After}
     * @param cause   underlying cause (logged, never sent)
     */
    public ProblemException(
            String slug,
            String title,
            int status,
            String detail,
            List<Problem.FieldError> errors,
            Map<String, String> headers,
            Throwable cause) {
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
