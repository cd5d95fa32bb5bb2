package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./switchboard up} checks its environment before it builds or starts anything and prints one line per
 * problem saying what to do. Each case runs a copy of the script in a temporary directory (no jars, no
 * {@code .switchboard/} state, no {@code ./mvnw}: should the checks let a case through, its build fails at once, so
 * nothing is ever started), against fake servers on free loopback ports: a PostgreSQL that lets anyone in, one that
 * asks for a password, and an open port standing for Redis (only its answering is checked). The machine's own
 * PostgreSQL and Redis are never contacted.
 */
class SwitchboardUpChecksTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private static Path root;
    private static LoopbackServer trustingPostgres;
    private static LoopbackServer passwordPostgres;
    private static LoopbackServer redis;

    /** A PATH directory made by a test (links to the tools on PATH but some): removed after it. */
    private Path bin;

    @BeforeAll
    static void copyScriptAndStartFakes() throws IOException {
        root = Files.createTempDirectory("switchboard-up-checks");
        Files.copy(Repo.path("switchboard"), root.resolve("switchboard"), StandardCopyOption.COPY_ATTRIBUTES);
        // the script finds the JDK as ./mvnw does when this file is beside it
        Path findJdk = Repo.path(".mvn/find-jdk");
        if (Files.isRegularFile(findJdk)) {
            Files.createDirectories(root.resolve(".mvn"));
            Files.copy(findJdk, root.resolve(".mvn/find-jdk"), StandardCopyOption.COPY_ATTRIBUTES);
        }
        trustingPostgres = new LoopbackServer(socket -> FakePostgres.serve(socket, true));
        passwordPostgres = new LoopbackServer(socket -> FakePostgres.serve(socket, false));
        redis = new LoopbackServer(LoopbackServer::drain);
    }

    @AfterAll
    static void stopFakesAndRemoveCopy() throws IOException {
        for (LoopbackServer server : new LoopbackServer[] {trustingPostgres, passwordPostgres, redis}) {
            if (server != null) {
                server.close();
            }
        }
        deleteTree(root);
    }

    @AfterEach
    void removeBinAndState() throws IOException {
        deleteTree(bin);
        bin = null;
        deleteTree(root.resolve(".switchboard")); // left by a case that got as far as the build
    }

    @Test
    void saysInOneLineThatCurlIsMissing() throws IOException {
        Repo.Outcome outcome = up(Map.of("PATH", pathWithout("curl")));

        assertStoppedBeforeStarting(outcome);
        String line = onlyProblem(outcome);
        assertTrue(line.startsWith("switchboard: curl is not installed") && line.contains("install curl"), line);
    }

    @Test
    void namesTheTakenPortAndTheProcessHoldingIt() throws IOException {
        // the ports are fixed: take the second supervisor replica's (rarely in use) when it is free here
        ServerSocket taken;
        try {
            taken = new ServerSocket(8100, 50, InetAddress.getLoopbackAddress());
        } catch (IOException inUse) {
            taken = null;
        }
        assumeTrue(taken != null, "skipped: port 8100 is in use on this machine");
        try (ServerSocket held = taken) {
            int port = held.getLocalPort();
            Repo.Outcome outcome = up(Map.of(), "--supervisors", "2");

            assertStoppedBeforeStarting(outcome);
            String line = onlyProblem(outcome);
            assertTrue(
                    line.startsWith("switchboard: port " + port + " (supervisor-service-" + port + ") is taken by pid "
                                    + ProcessHandle.current().pid() + " (")
                            && line.endsWith(": stop it first"),
                    line);
        }
    }

    @Test
    void saysInOneLineThatDatabaseUrlIsRefusedWithPsql() throws IOException {
        assumeTrue(Repo.onPath("psql").isPresent(), "skipped: psql is not installed (the probe without it is tested)");
        assertDatabaseUrlRefused(Map.of());
    }

    @Test
    void saysInOneLineThatDatabaseUrlIsRefusedWithoutPsql() throws IOException {
        assertDatabaseUrlRefused(Map.of("PATH", pathWithout("psql")));
    }

    private void assertDatabaseUrlRefused(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + passwordPostgres.port() + "/postgres");
        Repo.Outcome outcome = up(env);

        assertStoppedBeforeStarting(outcome);
        assertEquals(
                "switchboard: PostgreSQL at 127.0.0.1:" + passwordPostgres.port()
                        + " refuses user postgres on database postgres (it asks for a password): correct"
                        + " DATABASE_URL=postgresql://user:pass@host:5432/db",
                onlyProblem(outcome));
    }

    @Test
    void localPostgresRefusingALoginWithoutPasswordLeadsToEmbeddedOrToDatabaseUrl() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", null);
        env.put("PGPORT", String.valueOf(passwordPostgres.port())); // where up looks for a local PostgreSQL
        Repo.Outcome outcome = up(env);

        String refused = "switchboard: PostgreSQL on 127.0.0.1:" + passwordPostgres.port()
                + " refuses user postgres without a password (it asks for a password)";
        String fix = "DATABASE_URL=postgresql://user:pass@127.0.0.1:" + passwordPostgres.port() + "/postgres";
        if (runningAsRoot()) {
            assertStoppedBeforeStarting(outcome);
            assertEquals(
                    refused + ", and the embedded PostgreSQL cannot run as root: set " + fix, onlyProblem(outcome));
        } else {
            // falls back to the embedded servers (the copy then fails to build them, so nothing starts)
            assertNotEquals(0, outcome.exitCode());
            assertEquals(
                    refused + ": using an embedded PostgreSQL instead (set " + fix + " to use the local one)",
                    outcome.stderr().lines().findFirst().orElse(""),
                    outcome.stderr());
        }
    }

    @Test
    void saysInOneLineThatNoJdk21IsFound() throws IOException {
        assumeTrue(Files.isRegularFile(root.resolve(".mvn/find-jdk")), "skipped: no .mvn/find-jdk to point elsewhere");
        Path noJdks = Files.createDirectories(root.resolve("no-jdks"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", pathWithout("java"));
        env.put("JAVA_HOME", null);
        env.put("SWITCHBOARD_JDK_DIRS", noJdks.toString());
        env.put("HOME", noJdks.toString());
        Repo.Outcome outcome = up(env);

        assertStoppedBeforeStarting(outcome);
        String line = onlyProblem(outcome);
        assertTrue(line.startsWith("switchboard: needs a JDK 21 or newer") && line.contains("install"), line);
    }

    @Test
    void letsAPostgresThatAcceptsTheLoginThrough() {
        Repo.Outcome outcome = up(Map.of());

        // past the checks, up builds (and the copy, having no ./mvnw, stops there)
        if (!outcome.stdout().startsWith("Building")) {
            assertEquals(List.of(), problems(outcome), outcome.stderr());
            assumeTrue(
                    false,
                    "skipped: a port 8000-8003 is taken here, so up stopped before the build: " + outcome.stderr());
        }
    }

    /** Runs {@code switchboard up} from the copy with the fakes as Redis and PostgreSQL, and the changes given. */
    private static Repo.Outcome up(Map<String, String> changes, String... arguments) {
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("REDIS_URL", "redis://127.0.0.1:" + redis.port());
        env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + trustingPostgres.port() + "/postgres");
        for (String ignored : List.of("SWITCHBOARD_EMBEDDED", "PGPORT", "DB_USER", "DB_PASSWORD")) {
            env.put(ignored, null);
        }
        env.putAll(changes);
        List<String> command =
                new ArrayList<>(List.of(root.resolve("switchboard").toString(), "up"));
        command.addAll(List.of(arguments));
        return Repo.run(TIMEOUT, env, command.toArray(String[]::new));
    }

    private static void assertStoppedBeforeStarting(Repo.Outcome outcome) {
        assertEquals(1, outcome.exitCode(), outcome.stderr());
        assertEquals("", outcome.stdout(), "printed before stopping");
        assertTrue(Files.notExists(root.resolve(".switchboard")), "created .switchboard/ before stopping");
    }

    /**
     * The lines of stderr, but those about ports 8000-8003 taken by another process: a Switchboard running from the
     * working tree holds them, which is not what these cases are about.
     */
    private static List<String> problems(Repo.Outcome outcome) {
        return outcome.stderr()
                .lines()
                .filter(line -> !line.matches("switchboard: port 800[0-3] \\([a-z-]+\\) is taken by .*"))
                .toList();
    }

    private static String onlyProblem(Repo.Outcome outcome) {
        List<String> lines = problems(outcome);
        assertEquals(1, lines.size(), outcome.stderr());
        return lines.getFirst();
    }

    /** A directory of links to every command on PATH but the ones named, for use as PATH. */
    private String pathWithout(String... left) throws IOException {
        // Not a @TempDir: JUnit warns about every symbolic link it deletes there.
        bin = Files.createTempDirectory("switchboard-up-bin");
        Set<String> leftOut = Set.of(left);
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path d = Path.of(dir.isEmpty() ? "." : dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    Path link = bin.resolve(name);
                    if (!leftOut.contains(name)
                            && Files.isExecutable(file)
                            && !Files.isDirectory(file)
                            && Files.notExists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, file.toAbsolutePath());
                    }
                }
            }
        }
        return bin.toString();
    }

    private static boolean runningAsRoot() throws IOException {
        Path probe = Files.createTempFile("switchboard-uid", "");
        try {
            return ((Integer) Files.getAttribute(probe, "unix:uid")) == 0;
        } finally {
            Files.delete(probe);
        }
    }

    private static void deleteTree(Path top) throws IOException {
        if (top == null || Files.notExists(top)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A server on a free loopback port that hands each connection to a handler on its own virtual thread. */
    private static final class LoopbackServer implements AutoCloseable {

        private final ServerSocket socket;

        LoopbackServer(Consumer<Socket> handler) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().name("fake-server-" + socket.getLocalPort()).start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket connection = socket.accept();
                        Thread.ofVirtual().start(() -> {
                            try (connection) {
                                handler.accept(connection);
                            } catch (IOException | UncheckedIOException e) {
                                // the client went away
                            }
                        });
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        /** Reads until the client closes: an open port that answers nothing. */
        static void drain(Socket connection) {
            try {
                connection.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Just enough of the PostgreSQL protocol (3.0) for a login: declines SSL and GSS encryption, then either lets
     * the user in (AuthenticationOk ... ReadyForQuery, and answers each query with an empty result) or asks for an
     * MD5 password, as a server whose pg_hba.conf says md5 does.
     */
    private static final class FakePostgres {

        private static final int SSL_REQUEST = 80877103;
        private static final int GSSENC_REQUEST = 80877104;

        static void serve(Socket connection, boolean trusting) {
            try {
                DataInputStream in = new DataInputStream(new BufferedInputStream(connection.getInputStream()));
                DataOutputStream out = new DataOutputStream(connection.getOutputStream());
                while (true) {
                    int length = in.readInt();
                    int code = in.readInt();
                    if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
                        out.write('N');
                        out.flush();
                        continue;
                    }
                    in.skipNBytes(length - 8L); // the startup message's user and database
                    break;
                }
                if (!trusting) {
                    send(out, 'R', int32(5), "salt".getBytes(StandardCharsets.US_ASCII));
                    drainInput(in);
                    return;
                }
                send(out, 'R', int32(0));
                send(out, 'S', cstring("server_version"), cstring("15.0"));
                send(out, 'S', cstring("client_encoding"), cstring("UTF8"));
                send(out, 'K', int32(1), int32(2));
                send(out, 'Z', new byte[] {'I'});
                while (true) {
                    int type = in.read();
                    if (type < 0 || type == 'X') {
                        return;
                    }
                    in.skipNBytes(in.readInt() - 4L);
                    if (type == 'Q') {
                        send(out, 'C', cstring("SELECT 0"));
                        send(out, 'Z', new byte[] {'I'});
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void drainInput(InputStream in) throws IOException {
            in.transferTo(OutputStream.nullOutputStream());
        }

        private static void send(DataOutputStream out, char type, byte[]... parts) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                body.write(part);
            }
            out.write(type);
            out.writeInt(body.size() + 4);
            body.writeTo(out);
            out.flush();
        }

        private static byte[] int32(int value) {
            return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        }

        private static byte[] cstring(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, out, 0, bytes.length);
            return out;
        }
    }
}
