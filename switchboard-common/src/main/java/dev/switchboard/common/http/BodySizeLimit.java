package dev.switchboard.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose {@code Content-Length} is over {@code quarkus.http.limits.max-body-size}
 * ({@code MAX_BODY_SIZE}) with 413 {@code payload-too-large} as problem+json, before a byte of the body is read.
 * Quarkus enforces the same limit itself, but answers with an empty body; a chunked body without a length that
 * grows past the limit still gets that plain 413.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long maxBytes;
    private final ObjectMapper mapper;

    /**
     * @param maxBodySize the service's request body limit
     * @param mapper      writes the problem body
     */
    BodySizeLimit(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBodySize,
            ObjectMapper mapper) {
        this.maxBytes = maxBodySize.asLongValue();
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        long bytes;
        try {
            bytes = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            bytes = -1; // Vert.x answers a malformed length itself
        }
        if (bytes <= maxBytes) {
            ctx.next();
            return;
        }
        CommonProblem type = CommonProblem.PAYLOAD_TOO_LARGE;
        Problem problem = new Problem(
                type.uri(),
                type.title(),
                type.status(),
                "The request body has " + bytes + " bytes; this service accepts at most " + maxBytes,
                ctx.request().path(),
                null);
        String body;
        try {
            body = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":413}";
        }
        // The unread body would otherwise be drained from the connection: close it instead.
        ctx.response()
                .setStatusCode(type.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(body);
    }
}
