package dev.switchboard.supervisor.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.DefaultCredentialsCallback;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client cannot forge log lines: a login name with a line break, logged by the failed-login line, comes out of
 * the service's console log handler (its configured filter and formatter) as one line with the break escaped.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class LogForgingTest {

    private static final String FORGED = "FAKE LOG LINE " + System.nanoTime();

    private final List<ExtLogRecord> captured = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext
                    && String.valueOf(ext.getFormattedMessage()).contains(FORGED)) {
                captured.add(ext);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @Inject
    RedisDataSource redis;

    @Inject
    LoginThrottle throttle;

    @BeforeEach
    void captureLogs() {
        root().addHandler(capture);
        FailedLogins.clear(redis, throttle);
    }

    @AfterEach
    void stopCapturing() {
        root().removeHandler(capture);
    }

    @Test
    void aLoginNameWithALineBreakIsLoggedOnOneLine() {
        DefaultCredentialsCallback.anonymous();
        given().contentType("application/json")
                .body("{\"username\":\"x\\n" + FORGED + "\\r\\u2028end\",\"password\":\"not the password\"}")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(401);
        await().atMost(Duration.ofSeconds(10)).until(() -> !captured.isEmpty());

        ConsoleHandler console =
                consoleHandler().orElseThrow(() -> new AssertionError("the service logs to a console handler"));
        List<String> written = new ArrayList<>();
        for (ExtLogRecord record : captured) {
            if (console.getFilter() == null || console.getFilter().isLoggable(record)) {
                written.add(console.getFormatter().format(record));
            }
        }
        assertEquals(1, written.size(), "the failed login is logged once: " + written);
        String line = written.getFirst();
        assertEquals(1, line.strip().lines().count(), "one line: " + line);
        assertTrue(line.contains("x\\n" + FORGED + "\\r\\u2028end"), "the breaks are escaped: " + line);
    }

    private static Logger root() {
        return LogContext.getLogContext().getLogger("");
    }

    private static Optional<ConsoleHandler> consoleHandler() {
        List<Handler> pending = new ArrayList<>(List.of(root().getHandlers()));
        while (!pending.isEmpty()) {
            Handler handler = pending.removeFirst();
            if (handler instanceof ConsoleHandler console) {
                return Optional.of(console);
            }
            if (handler instanceof ExtHandler ext) {
                pending.addAll(List.of(ext.getHandlers()));
            }
        }
        return Optional.empty();
    }
}
