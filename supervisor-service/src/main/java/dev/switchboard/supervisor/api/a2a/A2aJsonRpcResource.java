package dev.switchboard.supervisor.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.common.auth.Callers;
import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.common.validation.Ids;
import dev.switchboard.supervisor.chat.ChatRequest;
import dev.switchboard.supervisor.chat.ChatResponse;
import dev.switchboard.supervisor.chat.IdempotencyKey;
import dev.switchboard.supervisor.chat.TurnPipeline;
import io.quarkus.security.ForbiddenException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The supervisor as an A2A agent: JSON-RPC 2.0 {@code POST /a2a} with method {@code message/send} (A2A
 * specification 0.3). The message's text parts are one chat turn ({@link TurnPipeline#chat}); {@code contextId} is
 * the session id (a new session when absent; one in a webhook provider's namespace, e.g. {@code ghl:…}, is refused
 * with the problem {@code reserved-session-id}), {@code metadata.user_id} the user. The result is an agent
 * {@code Message} with the reply as one text part and {@code metadata.agent}/{@code routing}. Other methods answer
 * JSON-RPC error -32601; a chat problem becomes error -32603 (or -32602 for a 400) with the problem in
 * {@code data}. The message's {@code messageId} is its idempotency key (scoped to the caller): the same message sent
 * again gets the first answer without running the turn again ({@link TurnPipeline#chat(ChatRequest,
 * IdempotencyKey)}); while the first still runs, error -32603 with {@code idempotency-key-in-use}. Text parts, {@code contextId} and {@code user_id} that are not JSON strings are invalid params. The
 * body is read by the service's JSON reader before any of this: a body that is not JSON, nested too deep, or holding
 * text that cannot be stored (U+0000, lone surrogates) is refused with an HTTP 400 problem ({@code malformed-request},
 * {@code invalid-text} naming the field, e.g. {@code params.message.parts.[0].text}), like every other endpoint.
 * Streaming, tasks and push notifications are not offered (the card says so).
 */
@Path("/a2a")
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Tag(name = "a2a", description = "The supervisor as an A2A agent")
public class A2aJsonRpcResource {

    private final TurnPipeline chat;

    A2aJsonRpcResource(TurnPipeline chat) {
        this.chat = chat;
    }

    /**
     * @return a JSON-RPC response object (HTTP 200, errors inside, as JSON-RPC over HTTP expects; a body that cannot
     *         be read at all is an HTTP 400 problem)
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A2A JSON-RPC endpoint (message/send)")
    @RequestBody(
            description = "JSON-RPC 2.0 request: jsonrpc, id, method message/send, params.message with text"
                    + " parts, contextId (the session) and metadata.user_id",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(
            responseCode = "200",
            description = "JSON-RPC 2.0 response: result, an agent Message with the reply,"
                    + " or error: -32601 another method, -32602 invalid params (or a 400 problem), -32603 any other problem;"
                    + " a problem's type and status are in error.data",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Map<String, Object>> rpc(JsonNode request, @Context SecurityContext caller) {
        Object id = request == null || request.get("id") == null
                ? null
                : request.get("id").isNumber()
                        ? request.get("id").numberValue()
                        : request.get("id").asText();
        if (request == null || !"message/send".equals(request.path("method").asText())) {
            return Uni.createFrom().item(error(id, -32601, "Method not found: only message/send is supported", null));
        }
        JsonNode message = request.path("params").path("message");
        List<String> texts = new ArrayList<>();
        boolean textsAreStrings = true;
        for (JsonNode part : message.path("parts")) {
            if ("text".equals(part.path("kind").asText()) && part.hasNonNull("text")) {
                textsAreStrings &= part.get("text").isTextual();
                texts.add(part.get("text").asText());
            }
        }
        JsonNode contextNode = message.path("contextId");
        JsonNode userNode = message.path("metadata").path("user_id");
        // a number or an object where the protocol has text is refused, never read as its text
        boolean idsAreStrings = (contextNode.isMissingNode() || contextNode.isNull() || contextNode.isTextual())
                && (userNode.isMissingNode() || userNode.isNull() || userNode.isTextual());
        String contextId = contextNode.isTextual() ? contextNode.textValue() : null;
        String userId = userNode.isTextual() ? userNode.textValue() : null;
        String text = String.join("\n", texts);
        if (!textsAreStrings
                || !idsAreStrings
                || text.isBlank()
                || text.length() > 8000
                || (contextId != null && !contextId.matches(Ids.PATTERN))
                || (userId != null && !userId.matches(Ids.PATTERN))) {
            return Uni.createFrom()
                    .item(error(
                            id,
                            -32602,
                            "Invalid params: one to 8000 characters of text parts; contextId and user_id "
                                    + Ids.MESSAGE,
                            null));
        }
        String actingUser;
        try {
            actingUser = Callers.actingUser(caller, userId);
        } catch (ForbiddenException e) {
            return Uni.createFrom().item(error(id, -32602, "Invalid params: " + e.getMessage(), null));
        }
        // the message's id is its idempotency key: a client resending the message gets the first answer
        JsonNode messageId = message.path("messageId");
        IdempotencyKey key =
                IdempotencyKey.ofA2aMessage(messageId.isTextual() ? messageId.textValue() : null, Callers.name(caller));
        return chat.chat(new ChatRequest(text, contextId, actingUser, null, null), key)
                .map(response -> result(id, response))
                .onFailure(ProblemException.class)
                .recoverWithItem(failure -> {
                    ProblemException problem = (ProblemException) failure;
                    return error(
                            id,
                            problem.status() == 400 ? -32602 : -32603,
                            problem.getMessage(),
                            Map.of("type", problem.type(), "status", problem.status()));
                });
    }

    private static Map<String, Object> result(Object id, ChatResponse response) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("kind", "message");
        message.put("role", "agent");
        message.put("messageId", UUID.randomUUID().toString());
        message.put("contextId", response.sessionId());
        message.put("parts", List.of(Map.of("kind", "text", "text", response.response())));
        message.put(
                "metadata",
                Map.of(
                        "agent",
                        response.agent(),
                        "routing",
                        Map.of(
                                "method",
                                response.routing().method(),
                                "score",
                                response.routing().score()),
                        "checkpoint_id",
                        String.valueOf(response.checkpointId())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("result", message);
        return body;
    }

    private static Map<String, Object> error(Object id, int code, String text, Map<String, Object> data) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", text);
        if (data != null) {
            error.put("data", data);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", error);
        return body;
    }
}
