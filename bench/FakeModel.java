import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake OpenAI-compatible chat model for the benchmark: {@code POST /v1/chat/completions} answers a fixed
 * plain-text completion after {@code latencyMs} milliseconds (0: at once, on the handler thread). The delay is a
 * scheduled task, never a sleeping thread, so one small JVM serves hundreds of concurrent calls. The LLM-router
 * question ("Which agent should handle the message?") is answered with {@code general_assistant_agent} and counted
 * apart.
 *
 * <p>TCP_NODELAY is set on every accepted connection ({@code sun.net.httpserver.nodelay}): the JDK server writes
 * the response headers and the body in two segments, and without it Nagle's algorithm holds the body back until
 * the client's delayed ACK of the headers, about 40 ms per call on a kept-alive connection — the fake model, not
 * the suite, would then set the pace.
 *
 * <p>{@code GET /__stats} answers {@code {"requests":N,"router_requests":N,"agent_requests":N,
 * "in_flight":N,"max_in_flight":N,"late_ms_max":N}} ({@code late_ms_max}: worst lateness of a reply
 * beyond its scheduled time, to show the fake itself is not the bottleneck). {@code GET /stats} answers the
 * peer benchmark's fake LLM's counters ({@code {"total":N,"chat":N}}; {@code ?reset=1} zeroes them after answering),
 * so its load generator reads model calls per turn from either fake.
 *
 * <p>Run: {@code java FakeModel.java <port> <latencyMs>}.
 */
public final class FakeModel {

    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong ROUTER = new AtomicLong();
    private static final AtomicLong IN_FLIGHT = new AtomicLong();
    private static final AtomicLong MAX_IN_FLIGHT = new AtomicLong();
    private static final AtomicLong LATE_MAX = new AtomicLong();
    /** Chat calls since the last {@code /stats?reset=1}. */
    private static final AtomicLong CHAT_SINCE_RESET = new AtomicLong();

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long latencyMs = Long.parseLong(args[1]);
        // read when the server implementation's configuration class loads, i.e. before the first create()
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> daemon(r, "fake-model-timer"));
        ExecutorService handlers = Executors.newFixedThreadPool(2, r -> daemon(r, "fake-model-http"));
        server.setExecutor(handlers);
        server.createContext("/__stats", ex -> {
            String json = "{\"requests\":" + REQUESTS.get() + ",\"router_requests\":" + ROUTER.get()
                    + ",\"agent_requests\":" + (REQUESTS.get() - ROUTER.get()) + ",\"in_flight\":" + IN_FLIGHT.get()
                    + ",\"max_in_flight\":" + MAX_IN_FLIGHT.get() + ",\"late_ms_max\":" + LATE_MAX.get() + "}";
            reply(ex, 200, json);
        });
        server.createContext("/stats", ex -> {
            long chat = ex.getRequestURI().getQuery() != null && ex.getRequestURI().getQuery().contains("reset=1")
                    ? CHAT_SINCE_RESET.getAndSet(0) : CHAT_SINCE_RESET.get();
            reply(ex, 200, "{\"total\":" + chat + ",\"chat\":" + chat + ",\"latency_ms\":" + latencyMs + "}");
        });
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!"POST".equals(ex.getRequestMethod()) || !ex.getRequestURI().getPath().endsWith("/chat/completions")) {
                reply(ex, 404, "{\"error\":{\"message\":\"not found\"}}");
                return;
            }
            long n = REQUESTS.incrementAndGet();
            CHAT_SINCE_RESET.incrementAndGet();
            boolean router = new String(body, StandardCharsets.UTF_8).contains("Which agent should handle the message");
            if (router) {
                ROUTER.incrementAndGet();
            }
            MAX_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
            String content = router ? "general_assistant_agent"
                    : "Thanks for your message. Here is a short, helpful answer from the fake model (#" + n + ").";
            String json = "{\"id\":\"chatcmpl-bench-" + n + "\",\"object\":\"chat.completion\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":24,\"total_tokens\":144}}";
            if (latencyMs <= 0) {
                IN_FLIGHT.decrementAndGet();
                reply(ex, 200, json);
                return;
            }
            long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(latencyMs);
            timer.schedule(() -> {
                LATE_MAX.accumulateAndGet((System.nanoTime() - due) / 1_000_000, Math::max);
                IN_FLIGHT.decrementAndGet();
                reply(ex, 200, json);
            }, latencyMs, TimeUnit.MILLISECONDS);
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
        System.out.println("fake model listening on 127.0.0.1:" + port + " latency " + latencyMs + " ms");
    }

    private static void reply(HttpExchange ex, int status, String json) {
        try (ex) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // client went away; nothing to do
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
