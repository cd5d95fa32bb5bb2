package dev.switchboard.supervisor.testing;

import com.sun.net.httpserver.HttpServer;
import io.a2a.server.ServerCallContext;
import io.a2a.server.agentexecution.AgentExecutor;
import io.a2a.server.agentexecution.RequestContext;
import io.a2a.server.auth.UnauthenticatedUser;
import io.a2a.server.events.EventQueue;
import io.a2a.server.events.InMemoryQueueManager;
import io.a2a.server.requesthandlers.DefaultRequestHandler;
import io.a2a.server.tasks.BasePushNotificationSender;
import io.a2a.server.tasks.InMemoryPushNotificationConfigStore;
import io.a2a.server.tasks.InMemoryTaskStore;
import io.a2a.spec.AgentCapabilities;
import io.a2a.spec.AgentCard;
import io.a2a.spec.AgentSkill;
import io.a2a.spec.Message;
import io.a2a.spec.SendMessageRequest;
import io.a2a.spec.SendMessageResponse;
import io.a2a.transport.jsonrpc.handler.JSONRPCHandler;
import io.a2a.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real A2A agent for tests, built from the A2A Java SDK's server classes (0.3.3.Final: {@link DefaultRequestHandler}
 * with in-memory task store and queues, {@link JSONRPCHandler}) behind a JDK {@link HttpServer}: {@code POST /} takes
 * JSON-RPC {@code message/send}, {@code GET /.well-known/agent-card.json} serves the card. The agent's answer is
 * {@code reply.apply(receivedMessage)}; received messages are kept for assertions.
 */
public final class A2aTestServer implements AutoCloseable {

    private final HttpServer http;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final AgentCard card;

    private A2aTestServer(Function<Message, String> reply) throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        card = new AgentCard.Builder()
                .name("Echo Agent")
                .description("Echoes what it is told")
                .url(base + "/")
                .version("1.0.0")
                .protocolVersion("0.3.0")
                .preferredTransport("JSONRPC")
                .capabilities(new AgentCapabilities.Builder()
                        .streaming(false)
                        .pushNotifications(false)
                        .stateTransitionHistory(false)
                        .build())
                .defaultInputModes(List.of("text"))
                .defaultOutputModes(List.of("text"))
                .skills(List.of(new AgentSkill.Builder()
                        .id("echo")
                        .name("Echo")
                        .description("Repeats the message")
                        .tags(List.of("echo"))
                        .examples(List.of("say hello back"))
                        .build()))
                .build();
        AgentExecutor executor = new AgentExecutor() {
            @Override
            public void execute(RequestContext context, EventQueue queue) {
                received.add(context.getMessage());
                queue.enqueueEvent(new Message.Builder()
                        .role(Message.Role.AGENT)
                        .parts(List.<io.a2a.spec.Part<?>>of(
                                new io.a2a.spec.TextPart(reply.apply(context.getMessage()))))
                        .messageId(java.util.UUID.randomUUID().toString())
                        .contextId(context.getContextId())
                        .build());
            }

            @Override
            public void cancel(RequestContext context, EventQueue queue) {}
        };
        InMemoryTaskStore tasks = new InMemoryTaskStore();
        InMemoryPushNotificationConfigStore push = new InMemoryPushNotificationConfigStore();
        DefaultRequestHandler handler = DefaultRequestHandler.create(
                executor, tasks, new InMemoryQueueManager(tasks), push, new BasePushNotificationSender(push), pool);
        JSONRPCHandler rpc = new JSONRPCHandler(card, handler, pool);
        http.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                if ("GET".equals(exchange.getRequestMethod())) {
                    body = Utils.OBJECT_MAPPER.writeValueAsBytes(card);
                } else {
                    try (InputStream in = exchange.getRequestBody()) {
                        SendMessageRequest request = Utils.OBJECT_MAPPER.readValue(in, SendMessageRequest.class);
                        SendMessageResponse response = rpc.onMessageSend(
                                request, new ServerCallContext(UnauthenticatedUser.INSTANCE, Map.of(), Set.of()));
                        body = Utils.OBJECT_MAPPER.writeValueAsBytes(response);
                    }
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        http.setExecutor(pool);
        http.start();
    }

    /** Starts a server that answers with {@code reply} of the received message. */
    public static A2aTestServer start(Function<Message, String> reply) throws IOException {
        return new A2aTestServer(reply);
    }

    /** @return the JSON-RPC URL (the card's {@code url}) */
    public String url() {
        return card.url();
    }

    /** @return the messages received so far */
    public List<Message> received() {
        return received;
    }

    /** @return the text of a message's text parts */
    public static String text(Message message) {
        StringBuilder text = new StringBuilder();
        message.getParts().forEach(p -> {
            if (p instanceof io.a2a.spec.TextPart t) {
                text.append(t.getText());
            }
        });
        return text.toString();
    }

    @Override
    public void close() {
        http.stop(0);
        pool.shutdownNow();
    }
}
