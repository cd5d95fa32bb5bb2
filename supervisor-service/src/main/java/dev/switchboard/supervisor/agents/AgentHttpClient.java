package dev.switchboard.supervisor.agents;

import dev.switchboard.common.net.AddressNotAllowedException;
import dev.switchboard.common.net.OutboundAddressPolicy;
import dev.switchboard.supervisor.config.SupervisorConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The one HTTP client of agents that live elsewhere ({@code remote} and {@code a2a}): a non-blocking Vert.x client, so
 * an agent that never answers holds a connection, never a thread, and the guard's timeout ({@link AgentGuards})
 * closes that connection.
 *
 * <ul>
 *   <li>Addresses: the endpoint's host is resolved and every address checked against {@code AGENT_URL_ALLOW}
 *       ({@link OutboundAddressPolicy}) before connecting, and the connection goes to the checked address (the host
 *       name still travels in {@code Host} and TLS SNI), so a name cannot be re-pointed between check and connect.
 *   <li>Time: connect timeout {@code AGENT_CONNECT_TIMEOUT}; idle (read) timeout the attempt's time limit
 *       ({@code REMOTE_AGENT_TIMEOUT}).
 *   <li>Redirects are not followed: a 3xx answer fails the attempt (a turn carries the session's history and state,
 *       which must not be replayed to wherever the agent points).
 *   <li>Size: at most {@code AGENT_RESPONSE_MAX_BYTES} of an answer are read (checked on {@code Content-Length} and
 *       while the body streams in; over it the connection is closed).
 * </ul>
 */
@ApplicationScoped
public class AgentHttpClient {

    private static final Logger LOG = Logger.getLogger(AgentHttpClient.class);
    /** Answers larger than this are parsed on a worker thread, not on the event loop. */
    private static final int PARSE_ON_WORKER_BYTES = 64 * 1024;

    private final HttpClient http;
    private final OutboundAddressPolicy addresses;
    private final long maxResponseBytes;
    private final long idleTimeoutMillis;
    private final long connectTimeoutMillis;

    /** CDI constructor. */
    public AgentHttpClient(Vertx vertx, OutboundAddressPolicy addresses, AgentGuards guards, SupervisorConfig config) {
        this.addresses = addresses;
        this.maxResponseBytes = config.agentOutput().responseMaxBytes().asLongValue();
        this.idleTimeoutMillis = guards.attemptTimeout().toMillis();
        this.connectTimeoutMillis =
                Math.min(idleTimeoutMillis, config.agentHttp().connectTimeout().toMillis());
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) connectTimeoutMillis)
                .setIdleTimeout((int) idleTimeoutMillis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxPoolSize(50)
                .setKeepAlive(true));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * The status and raw body of an agent's answer (any status but 3xx).
     *
     * @param status the HTTP status
     * @param body   the body, at most {@code AGENT_RESPONSE_MAX_BYTES}
     */
    public record Answer(int status, byte[] body) {

        /** @return whether the status is 2xx */
        public boolean successful() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * One {@code POST} of a JSON body to an agent (one attempt; run it under the agent's guard).
     *
     * @param endpoint the agent's absolute http(s) URL
     * @param body     the JSON request body
     * @param agent    the agent's name (for problems and logs)
     * @return the answer; fails with {@link AgentExecutionException} (502) when the endpoint's address is not allowed
     *         (nothing sent), on a redirect (not followed) and on an answer over the size cap; with the network's
     *         failure otherwise ({@code UnknownHostException}, {@code ConnectException}, idle timeout)
     */
    public Uni<Answer> postJson(URI endpoint, byte[] body, String agent) {
        return checkedAddress(endpoint, agent)
                .chain(address -> Uni.createFrom()
                        .emitter(emitter -> send(options(endpoint, address), Buffer.buffer(body), agent, emitter)));
    }

    /**
     * Parses an answer with {@code parser}: on the calling (event-loop) thread when small, on a worker thread when
     * over 64 KB.
     */
    public static <T> Uni<T> parse(Answer answer, Function<Answer, T> parser) {
        Uni<T> parsed = Uni.createFrom().item(() -> parser.apply(answer));
        return answer.body().length > PARSE_ON_WORKER_BYTES
                ? parsed.runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                : parsed;
    }

    /** The endpoint's host resolved and checked; DNS runs on a worker thread (an IP literal needs none). */
    private Uni<InetAddress> checkedAddress(URI endpoint, String agent) {
        String host = endpoint.getHost();
        Uni<List<InetAddress>> resolved = Uni.createFrom().emitter(emitter -> {
            try {
                emitter.complete(addresses.resolve(host));
            } catch (Exception e) { // UnknownHostException as is: the guard retries a call that never left
                emitter.fail(e);
            }
        });
        if (!OutboundAddressPolicy.isIpLiteral(host)) {
            resolved = resolved.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return resolved.map(all -> all.get(0))
                .onFailure(AddressNotAllowedException.class)
                .transform(e -> {
                    LOG.warnf("Agent %s not called: %s (AGENT_URL_ALLOW)", agent, e.getMessage());
                    return new AgentExecutionException(
                            agent,
                            "Agent '" + agent + "' has an endpoint whose address is not allowed (AGENT_URL_ALLOW)",
                            e);
                });
    }

    private RequestOptions options(URI endpoint, InetAddress address) {
        boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : https ? 443 : 80;
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(endpoint.toString())
                // connect to the address that was checked, not to whatever the name resolves to a moment later
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setFollowRedirects(false)
                .setConnectTimeout(connectTimeoutMillis)
                .setIdleTimeout(idleTimeoutMillis)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json");
    }

    private void send(RequestOptions options, Buffer body, String agent, UniEmitter<? super Answer> emitter) {
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        // the guard's timeout cancels the attempt: close the connection rather than read an answer nobody waits for
        emitter.onTermination(() -> {
            if (finished.compareAndSet(false, true) && sent.get() != null) {
                sent.get().reset();
            }
        });
        http.request(options).onFailure(emitter::fail).onSuccess(req -> {
            sent.set(req);
            req.send(body)
                    .onFailure(e -> {
                        if (finished.compareAndSet(false, true)) {
                            emitter.fail(e);
                        }
                    })
                    .onSuccess(response -> read(response, agent, finished, emitter));
        });
    }

    /** Reads the body up to the cap; over it, or on a redirect, the connection is closed and the attempt fails. */
    private void read(
            HttpClientResponse response, String agent, AtomicBoolean finished, UniEmitter<? super Answer> emitter) {
        if (response.statusCode() >= 300 && response.statusCode() < 400) {
            LOG.warnf(
                    "Agent %s answered a redirect (HTTP %d) to %s; not followed",
                    agent, response.statusCode(), response.getHeader("Location"));
            fail(
                    response,
                    finished,
                    emitter,
                    new AgentExecutionException(
                            agent,
                            "Agent '" + agent + "' answered with a redirect, which is not followed; its endpoint must"
                                    + " be the URL that answers",
                            null));
            return;
        }
        String length = response.getHeader("Content-Length");
        if (length != null && parseLength(length) > maxResponseBytes) {
            fail(response, finished, emitter, tooLarge(agent));
            return;
        }
        Buffer received = Buffer.buffer();
        response.handler(chunk -> {
            if (finished.get()) {
                return;
            }
            if (received.length() + (long) chunk.length() > maxResponseBytes) {
                fail(response, finished, emitter, tooLarge(agent));
            } else {
                received.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(e -> {
            if (finished.compareAndSet(false, true)) {
                emitter.fail(e);
            }
        });
        response.endHandler(v -> {
            if (finished.compareAndSet(false, true)) {
                emitter.complete(new Answer(response.statusCode(), received.getBytes()));
            }
        });
    }

    private static void fail(
            HttpClientResponse response,
            AtomicBoolean finished,
            UniEmitter<? super Answer> emitter,
            AgentExecutionException failure) {
        if (finished.compareAndSet(false, true)) {
            response.exceptionHandler(ignored -> {}); // the reset below is ours: nothing to report
            response.request().reset();
            emitter.fail(failure);
        }
    }

    private AgentExecutionException tooLarge(String agent) {
        return new AgentExecutionException(
                agent,
                "Agent '" + agent + "' answered more than " + maxResponseBytes
                        + " bytes (AGENT_RESPONSE_MAX_BYTES); the answer was not read",
                null);
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
