package dev.switchboard.supervisor.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.a2a.spec.Artifact;
import io.a2a.spec.EventKind;
import io.a2a.spec.JSONRPCError;
import io.a2a.spec.Message;
import io.a2a.spec.MessageSendConfiguration;
import io.a2a.spec.MessageSendParams;
import io.a2a.spec.Part;
import io.a2a.spec.SendMessageRequest;
import io.a2a.spec.SendMessageResponse;
import io.a2a.spec.Task;
import io.a2a.spec.TaskState;
import io.a2a.spec.TextPart;
import io.a2a.util.Utils;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Calls {@code a2a} agents with the A2A JSON-RPC method {@code message/send} (A2A specification 0.3): the request and
 * answer are the A2A Java SDK's types ({@code io.a2a.spec}, serialized by its mapper), sent through
 * {@link AgentHttpClient} (allowed addresses only, connect and idle timeouts, no redirects, a size cap) rather than the
 * SDK's blocking transport, so an agent that never answers holds no thread. The user's message is one text part;
 * {@code contextId} is the session id so the agent can keep its own conversation; the session's recent history, state
 * and user id travel in the message {@code metadata} ({@code switchboard.*}). The reply text is the returned message's
 * text parts, or a task's artifacts (else its status message); a task that {@code failed} or was {@code rejected} is
 * a failure, and so is a JSON-RPC error. The caller's guard bounds the call ({@link AgentGuards}).
 */
@ApplicationScoped
public class A2aAgentClient {

    private final AgentHttpClient http;

    A2aAgentClient(AgentHttpClient http) {
        this.http = http;
    }

    /**
     * One {@code message/send} (one attempt).
     *
     * @param endpoint the agent's JSON-RPC URL (its card's {@code url})
     * @return the reply; fails as {@link AgentHttpClient#postJson} does, and with {@link IllegalStateException} on a
     *         non-2xx answer, a JSON-RPC error, an answer that is not JSON-RPC, no text or a failed task
     */
    public Uni<AgentReply> sendMessage(URI endpoint, AgentRequest request) {
        SendMessageRequest rpc = new SendMessageRequest.Builder()
                .jsonrpc("2.0")
                .id(UUID.randomUUID().toString())
                .method(SendMessageRequest.METHOD)
                .params(params(request))
                .build();
        byte[] body;
        try {
            body = Utils.OBJECT_MAPPER.writeValueAsBytes(rpc);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return http.postJson(endpoint, body, request.agent().name())
                .chain(answer -> AgentHttpClient.parse(answer, A2aAgentClient::reply));
    }

    static AgentReply reply(AgentHttpClient.Answer answer) {
        if (!answer.successful()) {
            throw new IllegalStateException("A2A agent answered HTTP " + answer.status());
        }
        SendMessageResponse response;
        try {
            response = Utils.OBJECT_MAPPER.readValue(answer.body(), SendMessageResponse.class);
        } catch (IOException e) {
            throw new IllegalStateException("A2A agent answered with a body that is not a message/send response", e);
        }
        JSONRPCError error = response.getError();
        if (error != null) {
            throw new IllegalStateException("A2A message/send failed: " + error.getCode() + " " + error.getMessage());
        }
        return new AgentReply(replyText(response.getResult()), List.of(), 0, 0);
    }

    static MessageSendParams params(AgentRequest request) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("session_id", request.sessionId());
        if (request.userId() != null) {
            context.put("user_id", request.userId());
        }
        context.put(
                "history",
                request.history() == null
                        ? List.of()
                        : request.history().stream()
                                .map(h -> Map.of("role", h.role(), "content", h.content()))
                                .toList());
        context.put("state", request.state() == null ? Map.of() : request.state());
        Message message = new Message.Builder()
                .role(Message.Role.USER)
                .parts(List.<Part<?>>of(new TextPart(request.message())))
                .messageId(UUID.randomUUID().toString())
                .contextId(request.sessionId())
                .metadata(Map.of("switchboard", context))
                .build();
        return new MessageSendParams.Builder()
                .message(message)
                .configuration(new MessageSendConfiguration.Builder()
                        .acceptedOutputModes(List.of("text"))
                        .blocking(true)
                        .build())
                .build();
    }

    static String replyText(EventKind result) {
        if (result instanceof Message message) {
            return requireText(text(message.getParts()));
        }
        if (result instanceof Task task) {
            TaskState state = task.getStatus() == null ? null : task.getStatus().state();
            String statusText = task.getStatus() == null || task.getStatus().message() == null
                    ? ""
                    : text(task.getStatus().message().getParts());
            if (state == TaskState.FAILED || state == TaskState.REJECTED || state == TaskState.CANCELED) {
                throw new IllegalStateException("A2A task " + task.getId() + " ended " + state
                        + (statusText.isEmpty() ? "" : ": " + statusText));
            }
            List<String> texts = new ArrayList<>();
            if (task.getArtifacts() != null) {
                for (Artifact artifact : task.getArtifacts()) {
                    String t = text(artifact.parts());
                    if (!t.isEmpty()) {
                        texts.add(t);
                    }
                }
            }
            return requireText(texts.isEmpty() ? statusText : String.join("\n", texts));
        }
        throw new IllegalStateException("A2A agent answered with neither a message nor a task");
    }

    private static String text(List<Part<?>> parts) {
        if (parts == null) {
            return "";
        }
        return parts.stream()
                .filter(TextPart.class::isInstance)
                .map(p -> ((TextPart) p).getText())
                .filter(t -> t != null && !t.isBlank())
                .collect(Collectors.joining("\n"));
    }

    private static String requireText(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalStateException("A2A agent answered without text");
        }
        return text;
    }
}
