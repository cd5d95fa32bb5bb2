package dev.switchboard.supervisor.api;

import dev.switchboard.common.auth.Callers;
import dev.switchboard.common.auth.Roles;
import dev.switchboard.supervisor.chat.ChatRequest;
import dev.switchboard.supervisor.chat.ChatResponse;
import dev.switchboard.supervisor.chat.TurnPipeline;
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

/**
 * {@code POST /chat}: one chat turn (see {@link TurnPipeline}). Needs role {@code user} or {@code admin}; a user acts
 * only as itself ({@code user_id} defaults to the caller), an admin for anyone.
 */
@Path("/chat")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class ChatResource {

    private final TurnPipeline chat;

    ChatResource(TurnPipeline chat) {
        this.chat = chat;
    }

    /**
     * @param request {@code {"message","session_id"?,"user_id"?,"agent"?,"multitask_strategy"?:"enqueue"|"reject"}}
     * @return 200 {@code {"session_id","response","agent","routing":{"method","score"},"checkpoint_id","turn_id"}}
     *         (only once the turn's checkpoint is written); 400 validation-failed/malformed-request, 404
     *         agent-not-found, 401 authentication-required/invalid-credentials, 403 forbidden (another user's
     *         {@code user_id}), 409 agent-unavailable/session-busy/lease-lost/session-user-mismatch, 429 rate-limited,
     *         502 agent-failed, 503 capacity-exhausted/session-busy-timeout/shutting-down/llm-not-configured/
     *         dependency-unavailable/no-agent-available, 504 agent-timeout/dependency-timeout
     */
    @POST
    public Uni<ChatResponse> chat(@NotNull(message = "a JSON body is required") @Valid ChatRequest request,
            @Context SecurityContext caller) {
        return chat.chat(request.withUserId(Callers.actingUser(caller, request.userId())));
    }
}
