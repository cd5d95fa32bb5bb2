package dev.switchboard.state.rest;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.switchboard.common.problem.ProblemExceptionMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Mistyped JSON fields (e.g. {@code "state": "text"}) as 400 {@code malformed-request} problems: quarkus-rest-jackson
 * ships its own exact-type mapper for {@link MismatchedInputException} that would otherwise answer plain JSON.
 */
public class MismatchedInputMapper {

    private final ProblemExceptionMappers mappers = new ProblemExceptionMappers();

    /** Delegates to the shared malformed-request mapping. */
    @ServerExceptionMapper(priority = 1)
    public Response mapMismatchedInput(MismatchedInputException e, UriInfo uri) {
        return mappers.mapJson(e, uri);
    }
}
