package dev.switchboard.supervisor.api;

import static dev.switchboard.supervisor.problem.SupervisorProblem.AGENT_FAILED;
import static dev.switchboard.supervisor.problem.SupervisorProblem.AGENT_NOT_FOUND;
import static dev.switchboard.supervisor.problem.SupervisorProblem.AGENT_TIMEOUT;
import static dev.switchboard.supervisor.problem.SupervisorProblem.AGENT_UNAVAILABLE;
import static dev.switchboard.supervisor.problem.SupervisorProblem.CAPACITY_EXHAUSTED;
import static dev.switchboard.supervisor.problem.SupervisorProblem.DEPENDENCY_TIMEOUT;
import static dev.switchboard.supervisor.problem.SupervisorProblem.DEPENDENCY_UNAVAILABLE;
import static dev.switchboard.supervisor.problem.SupervisorProblem.IDEMPOTENCY_KEY_IN_USE;
import static dev.switchboard.supervisor.problem.SupervisorProblem.IDEMPOTENCY_KEY_REUSED;
import static dev.switchboard.supervisor.problem.SupervisorProblem.LEASE_LOST;
import static dev.switchboard.supervisor.problem.SupervisorProblem.LLM_NOT_CONFIGURED;
import static dev.switchboard.supervisor.problem.SupervisorProblem.NO_AGENT_AVAILABLE;
import static dev.switchboard.supervisor.problem.SupervisorProblem.RATE_LIMITED;
import static dev.switchboard.supervisor.problem.SupervisorProblem.RESERVED_SESSION_ID;
import static dev.switchboard.supervisor.problem.SupervisorProblem.SESSION_BUSY;
import static dev.switchboard.supervisor.problem.SupervisorProblem.SESSION_BUSY_TIMEOUT;
import static dev.switchboard.supervisor.problem.SupervisorProblem.SESSION_NOT_FOUND;
import static dev.switchboard.supervisor.problem.SupervisorProblem.SESSION_USER_MISMATCH;
import static dev.switchboard.supervisor.problem.SupervisorProblem.SHUTTING_DOWN;
import static dev.switchboard.supervisor.problem.SupervisorProblem.TURN_NOT_STORED;

import dev.switchboard.common.auth.Callers;
import dev.switchboard.common.auth.Roles;
import dev.switchboard.supervisor.chat.ChatRequest;
import dev.switchboard.supervisor.chat.ChatResponse;
import dev.switchboard.supervisor.chat.IdempotencyKey;
import dev.switchboard.supervisor.chat.TurnPipeline;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code POST /chat}: one chat turn (see {@link TurnPipeline}). Needs role {@code user} or {@code admin}; a user acts
 * only as itself ({@code user_id} defaults to the caller), an admin for anyone.
 */
@Path("/chat")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Tag(name = "chat", description = "Chat turns: route, run the agent, store the turn")
public class ChatResource {

    private final TurnPipeline chat;

    ChatResource(TurnPipeline chat) {
        this.chat = chat;
    }

    /**
     * @param request        {@code {"message","session_id"?,"user_id"?,"agent"?,"multitask_strategy"?:"enqueue"|"reject"}}
     * @param idempotencyKey the {@code Idempotency-Key} header (IETF draft-ietf-httpapi-idempotency-key-header), or
     *                       {@code null}: a repeat of the request with the same key within {@code IDEMPOTENCY_TTL} gets
     *                       the first answer (with {@code Idempotent-Replayed: true}) and runs nothing again; keys are
     *                       scoped to the caller
     * @return 200 {@code {"session_id","response","agent","routing":{"method","score"},"checkpoint_id","turn_id"}}
     *         (only once the turn's checkpoint is written); 400 validation-failed/malformed-request, 404
     *         agent-not-found, 401 authentication-required/invalid-credentials, 403 forbidden (another user's
     *         {@code user_id}), 403 reserved-session-id (a {@code session_id} in a webhook provider's namespace,
     *         e.g. {@code ghl:…}, whoever asks: only the webhook queue writes those), 409 agent-unavailable/session-busy/lease-lost/session-user-mismatch, 429 rate-limited,
     *         502 agent-failed, 503 capacity-exhausted/session-busy-timeout/shutting-down/llm-not-configured/
     *         dependency-unavailable/no-agent-available, 504 agent-timeout/dependency-timeout; 404
     *         session-not-found only when the session is deleted while its turn is being saved
     */
    @POST
    @Operation(summary = "One chat turn: the message is routed to an agent, answered and stored as a checkpoint")
    @SupervisorProblems({
        AGENT_NOT_FOUND,
        RESERVED_SESSION_ID,
        SESSION_NOT_FOUND,
        AGENT_UNAVAILABLE,
        SESSION_BUSY,
        LEASE_LOST,
        SESSION_USER_MISMATCH,
        IDEMPOTENCY_KEY_IN_USE,
        IDEMPOTENCY_KEY_REUSED,
        RATE_LIMITED,
        TURN_NOT_STORED,
        AGENT_FAILED,
        CAPACITY_EXHAUSTED,
        SESSION_BUSY_TIMEOUT,
        SHUTTING_DOWN,
        LLM_NOT_CONFIGURED,
        NO_AGENT_AVAILABLE,
        DEPENDENCY_UNAVAILABLE,
        AGENT_TIMEOUT,
        DEPENDENCY_TIMEOUT
    })
    public Uni<RestResponse<ChatResponse>> chat(
            @NotNull(message = "a JSON body is required") @Valid ChatRequest request,
            @Parameter(
                            description = "Makes the turn idempotent: a repeat with the same key gets the first answer"
                                    + " (IETF draft-ietf-httpapi-idempotency-key-header); a UUID is best")
                    @HeaderParam(IdempotencyKey.HEADER)
                    String idempotencyKey,
            @Context SecurityContext caller) {
        ChatRequest acting = request.withUserId(Callers.actingUser(caller, request.userId()));
        return chat.chat(acting, IdempotencyKey.parse(idempotencyKey, Callers.name(caller)))
                .map(answer -> answer.replayed()
                        ? RestResponse.ResponseBuilder.ok(answer)
                                .header(IdempotencyKey.REPLAYED_HEADER, "true")
                                .build()
                        : RestResponse.ok(answer));
    }
}
