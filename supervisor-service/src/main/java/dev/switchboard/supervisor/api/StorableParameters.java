package dev.switchboard.supervisor.api;

import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.common.text.StorableText;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Path and query parameters are text a peer or PostgreSQL may receive too: a decoded {@code %00} (U+0000) or a lone
 * surrogate in any of them is refused with 400 {@code invalid-text} naming the parameter (snake_case, e.g.
 * {@code user_id}), before the resource runs, as the JSON reader does for body fields.
 */
public class StorableParameters {

    /** Checks the matched path parameters, then the query parameters. */
    @ServerRequestFilter
    public void refuseUnstorableText(ContainerRequestContext request) {
        check(request.getUriInfo().getPathParameters());
        check(request.getUriInfo().getQueryParameters());
    }

    private static void check(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String field = toSnakeCase(StorableText.replaceUnstorable(parameter.getKey()));
            int atName = StorableText.firstUnstorable(parameter.getKey());
            if (atName >= 0) {
                throw invalidText(
                        field,
                        "has a name with a character that cannot be stored ("
                                + StorableText.describe(parameter.getKey(), atName) + ")");
            }
            for (String value : parameter.getValue()) {
                int at = value == null ? -1 : StorableText.firstUnstorable(value);
                if (at >= 0) {
                    throw invalidText(
                            field,
                            "holds a character that cannot be stored (" + StorableText.describe(value, at)
                                    + "): remove U+0000 and unpaired surrogates");
                }
            }
        }
    }

    private static ProblemException invalidText(String field, String reason) {
        return new ProblemException(
                CommonProblem.INVALID_TEXT,
                "Field '" + field + "' " + reason,
                List.of(new Problem.FieldError(field, reason)),
                Map.of(),
                null);
    }

    private static String toSnakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
