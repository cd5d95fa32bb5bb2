package dev.switchboard.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis and PostgreSQL for the end-to-end suite: {@code REDIS_URL}/{@code DATABASE_URL} when set, else the
 * local servers, with a fresh database {@code switchboard_e2e_<pid>_<n>} (one per test class, dropped by
 * {@link #release()}, so parallel runs cannot drop each other's) and Redis logical database 7 so that the
 * suite starts from nothing and leaves the module tests' data alone.
 */
final class Infrastructure {

    static final int REDIS_DB = 7;

    final String redisUrl;
    final String databaseUrl;
    private final String redisHost;
    private final int redisPort;
    private final int redisDb;

    private Infrastructure(String redisUrl, String databaseUrl) {
        this.redisUrl = redisUrl;
        this.databaseUrl = databaseUrl;
        URI uri = URI.create(redisUrl);
        this.redisHost = uri.getHost();
        this.redisPort = uri.getPort() > 0 ? uri.getPort() : 6379;
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        this.redisDb = path.isEmpty() ? 0 : Integer.parseInt(path);
    }

    private static final java.util.concurrent.atomic.AtomicInteger DATABASES = new java.util.concurrent.atomic.AtomicInteger();

    /** The database this run created (and drops), or {@code null} when DATABASE_URL was given. */
    private String database;

    static Infrastructure resolve() {
        String createdDatabase = null;
        String redis = System.getenv("REDIS_URL");
        String database = System.getenv("DATABASE_URL");
        if (redis == null) {
            redis = "redis://127.0.0.1:6379/" + REDIS_DB;
        }
        if (database == null) {
            createdDatabase = "switchboard_e2e_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
            recreateDatabase(createdDatabase);
            database = "postgresql://postgres@127.0.0.1:5432/" + createdDatabase;
        }
        Infrastructure infra = new Infrastructure(redis, database);
        infra.database = createdDatabase;
        if (System.getenv("REDIS_URL") == null) {
            infra.redis("FLUSHDB");
        }
        return infra;
    }

    /** Drops the database this run created; call after every service process has stopped. */
    void release() {
        if (database == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop " + database + ": " + e.getMessage());
        }
    }

    private static void recreateDatabase(String name) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("local PostgreSQL on 127.0.0.1:5432 is needed (or set DATABASE_URL)", e);
        }
    }

    /** Runs one Redis command (inline protocol) and returns the reply lines (bulk strings for arrays). */
    List<String> redis(String... command) {
        try (Socket socket = new Socket(redisHost, redisPort)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write(resp("SELECT", String.valueOf(redisDb)));
            out.write(resp(command));
            out.flush();
            in.readLine(); // +OK of SELECT
            return readReply(in);
        } catch (IOException e) {
            throw new IllegalStateException("Redis command failed: " + command[0], e);
        }
    }

    private static byte[] resp(String... parts) {
        StringBuilder sb = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readReply(BufferedReader in) throws IOException {
        String line = in.readLine();
        List<String> result = new ArrayList<>();
        if (line == null) {
            return result;
        }
        switch (line.charAt(0)) {
            case '*' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    result.addAll(readReply(in));
                }
            }
            case '$' -> {
                if (!line.equals("$-1")) {
                    result.add(in.readLine());
                }
            }
            case '-' -> throw new IOException(line);
            default -> result.add(line.substring(1));
        }
        return result;
    }
}
