package dev.switchboard.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemExceptionMappersTest {

    private final ProblemExceptionMappers mappers = new ProblemExceptionMappers();

    @Test
    void fullConnectionPoolIsA503WithRetryAfterEvenWhenWrapped() {
        Response response = mappers.mapUnexpected(
                new IllegalStateException("wrapped", new ConnectionPoolTooBusyException("queue full")), null);

        assertEquals(503, response.getStatus());
        assertEquals("1", response.getHeaderString("Retry-After"));
        Problem body = (Problem) response.getEntity();
        assertEquals(Problem.TYPE_BASE + "overloaded", body.type());
        assertEquals("Too many requests are waiting for a connection; retry shortly", body.detail());
    }

    @Test
    void anythingElseIsAGeneric500WithoutInternals() {
        Response response = mappers.mapUnexpected(new IllegalStateException("secret internals"), null);

        assertEquals(500, response.getStatus());
        Problem body = (Problem) response.getEntity();
        assertEquals(Problem.TYPE_BASE + "internal-error", body.type());
        assertEquals("An unexpected error occurred", body.detail());
    }

    @Test
    void domainProblemsKeepTheirTypeStatusAndHeaders() {
        ProblemException e = new ProblemException(
                "rate-limited",
                "Rate limited",
                429,
                "Too many messages",
                null,
                java.util.Map.of("Retry-After", "7"),
                null);

        Response response = mappers.mapProblem(e, null);

        assertEquals(429, response.getStatus());
        assertEquals("7", response.getHeaderString("Retry-After"));
        assertEquals(Problem.TYPE_BASE + "rate-limited", ((Problem) response.getEntity()).type());
    }

    @Test
    void catalogueProblemsCarryTheirTypeTitleAndStatus() {
        ProblemException e = new ProblemException(
                CommonProblem.VALIDATION_FAILED,
                List.of(
                        new Problem.FieldError("If-Match", "must be a number"),
                        new Problem.FieldError("limit", "too big")));

        Problem body = (Problem) mappers.mapProblem(e, null).getEntity();

        assertEquals(
                new Problem(
                        Problem.TYPE_BASE + "validation-failed",
                        "Request validation failed",
                        400,
                        "If-Match: must be a number; limit: too big",
                        null,
                        e.errors()),
                body);
    }

    @Test
    void jaxRsStatusesBecomeTheirCatalogueTypeAndOthersAreNamedAfterTheStatus() {
        Problem notAllowed = (Problem) mappers.mapWebApplication(new WebApplicationException(405), null)
                .getEntity();
        Problem conflict = (Problem) mappers.mapWebApplication(new WebApplicationException(409), null)
                .getEntity();

        assertEquals(
                new Problem(
                        Problem.TYPE_BASE + "method-not-allowed",
                        "Method Not Allowed",
                        405,
                        "Method Not Allowed",
                        null,
                        null),
                notAllowed);
        assertEquals(new Problem(Problem.TYPE_BASE + "http-409", "Conflict", 409, "Conflict", null, null), conflict);
    }
}
