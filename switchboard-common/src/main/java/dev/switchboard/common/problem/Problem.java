package dev.switchboard.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem details body, serialised as {@code application/problem+json}.
 *
 * @param type     stable URI naming the kind of problem (listed in each service README)
 * @param title    short human summary of the kind
 * @param status   the HTTP status code
 * @param detail   explanation of this occurrence; never a stack trace or class name
 * @param instance the request path the problem occurred on
 * @param errors   per-field validation errors, present only for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    /** Media type of problem bodies (RFC 9457 section 3). */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Base of every Switchboard problem type URI. */
    public static final String TYPE_BASE = "https://switchboard.dev/problems/";

    /**
     * One invalid field of a request.
     *
     * @param field   the JSON property (snake_case) or parameter name
     * @param message what is wrong with it
     */
    public record FieldError(String field, String message) {}
}
