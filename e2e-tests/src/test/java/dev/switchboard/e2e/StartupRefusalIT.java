package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A packaged service started the way a careless deployment would start it: with a secret copied from the
 * repository's old docker-compose.yml, or with {@code SKIP_AUTH=true} on every interface. It must exit at once with
 * one line that says why, and never echo the secret.
 */
class StartupRefusalIT {

    private static final String COMPOSE_TOKEN = "compose-dev-service-token-change-me-0123";

    private static Infrastructure infra;

    @BeforeAll
    static void resolveInfrastructure() {
        infra = Infrastructure.resolve();
    }

    @AfterAll
    static void releaseInfrastructure() {
        if (infra != null) {
            infra.release();
        }
    }

    @Test
    void aServiceTokenFromTheRepositoryStopsTheStart() throws IOException {
        List<String> log = refusal(Map.of("SERVICE_TOKEN", COMPOSE_TOKEN));
        String line = reason(log);
        assertTrue(line.contains("SERVICE_TOKEN"), line);
        assertTrue(log.stream().noneMatch(l -> l.contains(COMPOSE_TOKEN)), "the token is never logged");
    }

    @Test
    void skipAuthOnEveryInterfaceStopsTheStart() throws IOException {
        String line = reason(refusal(Map.of("SKIP_AUTH", "true", "HOST", "0.0.0.0")));
        assertTrue(line.contains("SKIP_AUTH") && line.contains("0.0.0.0"), line);
    }

    /** @return the one line of the log that says why the service stopped */
    private static String reason(List<String> log) {
        List<String> lines =
                log.stream().filter(l -> l.contains("refuses to start")).toList();
        assertEquals(1, lines.size(), "one line says why: " + lines);
        return lines.getFirst();
    }

    /** Starts state-service with {@code env} over the suite's own; @return its log once it exited with 1 */
    private static List<String> refusal(Map<String, String> env) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("REDIS_URL", infra.redisUrl, "DATABASE_URL", infra.databaseUrl));
        all.putAll(env);
        ServiceProcess service = new ServiceProcess("state-service", ServiceProcess.freePort(), all);
        Files.deleteIfExists(service.log());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, service::start);
            assertTrue(e.getMessage().contains("exited with 1"), e.getMessage());
            return Files.readAllLines(service.log());
        } finally {
            service.stop();
        }
    }
}
