package dev.switchboard.prompts;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A fake agent-registry-service over HTTP (WireMock on a free port) for prompt-service tests: {@code GET /agents}
 * answers no agents unless a test stubs otherwise through {@link #server()}.
 */
public class RegistryWireMockResource implements QuarkusTestResourceLifecycleManager {

    private static volatile WireMockServer server;

    /** @return the running fake registry (tests add stubs and reset them) */
    public static WireMockServer server() {
        return server;
    }

    /** Stubs {@code GET /agents} with no agents (the default). */
    public static void noAgents() {
        server.resetAll();
        server.stubFor(get(urlPathEqualTo("/agents")).willReturn(okJson("{\"agents\":[],\"count\":0}")));
    }

    @Override
    public Map<String, String> start() {
        server =
                new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        noAgents();
        return Map.of("quarkus.rest-client.agent-registry.url", "http://127.0.0.1:" + server.port());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
