package dev.switchboard.supervisor.agents;

import io.a2a.client.transport.jsonrpc.JSONRPCTransport;
import io.a2a.spec.Artifact;
import io.a2a.spec.EventKind;
import io.a2a.spec.Message;
import io.a2a.spec.MessageSendConfiguration;
import io.a2a.spec.MessageSendParams;
import io.a2a.spec.Part;
import io.a2a.spec.Task;
import io.a2a.spec.TaskState;
import io.a2a.spec.TextPart;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Calls {@code a2a} agents with the A2A JSON-RPC method {@code message/send} through the A2A Java SDK
 * ({@code io.github.a2asdk:a2a-java-sdk-client-transport-jsonrpc}, {@link JSONRPCTransport}; A2A specification
 * 0.3). The user's message is one text part; {@code contextId} is the session id so the agent can keep its own
 * conversation; the session's recent history, state and user id travel in the message {@code metadata}
 * ({@code switchboard.*}). The reply text is the returned message's text parts, or a task's artifacts (else its
 * status message); a task that {@code failed} or was {@code rejected} is a failure. The SDK call is blocking, so it
 * runs on a worker thread; the caller's guard bounds it ({@link AgentGuards}).
 */
@ApplicationScoped
public class A2aAgentClient {

    private final Map<String, JSONRPCTransport> transports = new ConcurrentHashMap<>();

    /**
     * One {@code message/send} (one attempt).
     *
     * @param endpoint the agent's JSON-RPC URL (its card's {@code url})
     * @return the reply; fails with the SDK's {@code A2AClientException} or {@link IllegalStateException} (no text,
     *         failed task)
     */
    public Uni<AgentReply> sendMessage(URI endpoint, AgentRequest request) {
        return Uni.createFrom()
                .item(() -> {
                    JSONRPCTransport transport = transports.computeIfAbsent(endpoint.toString(), JSONRPCTransport::new);
                    try {
                        EventKind result = transport.sendMessage(params(request), null);
                        return new AgentReply(replyText(result), List.of(), 0, 0);
                    } catch (io.a2a.spec.A2AClientException e) {
                        throw new IllegalStateException("A2A message/send failed: " + e.getMessage(), e);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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
