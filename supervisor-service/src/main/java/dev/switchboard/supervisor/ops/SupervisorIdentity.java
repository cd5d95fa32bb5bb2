package dev.switchboard.supervisor.ops;

import dev.switchboard.supervisor.config.SupervisorConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Who this replica is, decided once for every use (registry registration, lease holder values, turn
 * metadata): id {@code SUPERVISOR_ID}, else {@code <host>-<port>}; host {@code SUPERVISOR_HOST}, else the
 * host name; port {@code SUPERVISOR_PORT}, else the HTTP port. Resolved on first use, which is after the
 * HTTP server has started, so a random test port is known.
 */
@ApplicationScoped
public class SupervisorIdentity {

    private final SupervisorConfig config;
    private volatile Resolved resolved;

    SupervisorIdentity(SupervisorConfig config) {
        this.config = config;
    }

    /** @return the replica id, e.g. {@code supervisor-8000} */
    public String id() {
        return resolve().id();
    }

    /** @return the host other replicas and operators reach this replica on */
    public String host() {
        return resolve().host();
    }

    /** @return the HTTP port of this replica */
    public int port() {
        return resolve().port();
    }

    private Resolved resolve() {
        Resolved current = resolved;
        if (current == null) {
            String host = config.instance().host().filter(h -> !h.isBlank()).orElseGet(SupervisorIdentity::hostName);
            int port = config.instance().port().filter(p -> p > 0).orElseGet(SupervisorIdentity::httpPort);
            String id = config.id().filter(s -> !s.isBlank()).orElseGet(() -> sanitize(host) + "-" + port);
            current = new Resolved(id, host, port);
            resolved = current;
        }
        return current;
    }

    private static int httpPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        Integer actual = Integer.getInteger(key);
        if (actual == null || actual <= 0) {
            actual = ConfigProvider.getConfig()
                    .getOptionalValue(key, Integer.class)
                    .orElse(8000);
        }
        return actual <= 0 ? 8000 : actual;
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "supervisor";
        }
    }

    /** Ids must match the registry's id pattern {@code [A-Za-z0-9._:-]{1,128}}. */
    private static String sanitize(String value) {
        String clean = value.replaceAll("[^A-Za-z0-9._:-]", "-");
        return clean.length() > 100 ? clean.substring(0, 100) : clean;
    }

    private record Resolved(String id, String host, int port) {}
}
