package dev.switchboard.supervisor.api;

import static dev.switchboard.supervisor.problem.SupervisorProblem.NO_AGENT_AVAILABLE;
import static dev.switchboard.supervisor.problem.SupervisorProblem.RATE_LIMITED;

import dev.switchboard.common.auth.Callers;
import dev.switchboard.common.auth.Roles;
import dev.switchboard.supervisor.chat.RateLimiter;
import dev.switchboard.supervisor.routing.RoutingService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /route}: routing dry run; changes nothing and never calls the LLM router. A user's calls count
 * against their chat rate limit ({@code RATE_LIMIT_PER_MINUTE}, the bucket {@code /chat} takes from), since each one
 * costs an embedding and a scan of every agent; administrators and services, who use it to diagnose routing, are not
 * counted.
 */
@Path("/route")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Tag(name = "routing", description = "Routing dry run")
public class RouteResource {

    private final RoutingService routing;
    private final RateLimiter rateLimiter;

    RouteResource(RoutingService routing, RateLimiter rateLimiter) {
        this.routing = routing;
        this.rateLimiter = rateLimiter;
    }

    /**
     * @param request {@code {"message"}}
     * @return {@code {"agent","method","score","candidates":[{"agent","score"}]}} with method semantic or
     *         default; 429 rate-limited (with {@code Retry-After}) when a user's bucket is empty; 503
     *         no-agent-available before the first registry sync
     */
    @POST
    @Operation(summary = "Which agent would take the message (semantic router only; changes nothing)")
    @SupervisorProblems({RATE_LIMITED, NO_AGENT_AVAILABLE})
    public Uni<RouteResponse> route(
            @NotNull(message = "a JSON body is required") @Valid RouteRequest request,
            @Context SecurityContext caller) {
        Uni<Void> admitted =
                Callers.isPrivileged(caller) ? Uni.createFrom().voidItem() : rateLimiter.admit(Callers.name(caller));
        return admitted.chain(() -> routing.previewRoute(request.message()))
                .map(d -> new RouteResponse(
                        d.agent().name(),
                        d.method(),
                        d.score(),
                        d.candidates().stream()
                                .map(c -> new RouteResponse.Candidate(c.agent(), c.score()))
                                .toList()));
    }
}
