package dev.switchboard.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Redis and PostgreSQL for the end-to-end suite, on the servers {@code REDIS_URL}/{@code DATABASE_URL} name when set,
 * else the local ones. Either way the suite writes only where it starts from nothing and leaves the module tests'
 * data alone (they use those very URLs): a fresh database {@code switchboard_e2e_<pid>_<n>} on that PostgreSQL (one
 * per test class, dropped by {@link #release()}, so parallel runs cannot drop each other's) and Redis logical
 * database 7 of that Redis, flushed at the start.
 */
final class Infrastructure {

    static final int REDIS_DB = 7;
    private static final String LOCAL_REDIS = "redis://127.0.0.1:6379";
    private static final String LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    final String redisUrl;
    final String databaseUrl;
    private final String redisHost;
    private final int redisPort;
    private final int redisDb;
    /** The server the database was created on, to drop it; {@code null} when the suite could not create one. */
    private final PostgresServer createdOn;

    private final String database;

    private Infrastructure(String redisUrl, String databaseUrl, PostgresServer createdOn, String database) {
        this.redisUrl = redisUrl;
        this.databaseUrl = databaseUrl;
        this.createdOn = createdOn;
        this.database = database;
        URI uri = URI.create(redisUrl);
        this.redisHost = uri.getHost();
        this.redisPort = uri.getPort() > 0 ? uri.getPort() : 6379;
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        this.redisDb = path.isEmpty() ? 0 : Integer.parseInt(path);
    }

    static Infrastructure resolve() {
        String redis = onDatabase(Objects.requireNonNullElse(System.getenv("REDIS_URL"), LOCAL_REDIS), REDIS_DB);
        String given = System.getenv("DATABASE_URL");
        PostgresServer server = PostgresServer.of(Objects.requireNonNullElse(given, LOCAL_POSTGRES));
        String name = "switchboard_e2e_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        Infrastructure infra;
        try {
            server.recreate(name);
            infra = new Infrastructure(redis, server.url(name), server, name);
        } catch (SQLException e) {
            if (given == null) {
                throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed (or set DATABASE_URL)", e);
            }
            // a role without CREATEDB: the suite runs on the given database itself, and what it writes stays there
            System.err.println("cannot create " + name + " (" + e.getMessage() + "); using DATABASE_URL as it is");
            infra = new Infrastructure(redis, given, null, null);
        }
        infra.redis("FLUSHDB");
        return infra;
    }

    /** Drops the database this run created; call after every service process has stopped. */
    void release() {
        if (createdOn == null) {
            return;
        }
        try {
            createdOn.drop(database);
        } catch (SQLException e) {
            System.err.println("could not drop " + database + ": " + e.getMessage());
        }
    }

    /** {@code url} (credentials kept) with logical database {@code db}. */
    private static String onDatabase(String url, int db) {
        URI uri = URI.create(url);
        String user = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        return uri.getScheme() + "://" + user + uri.getHost() + ":" + port + "/" + db;
    }

    /**
     * A PostgreSQL server as a {@code postgresql://[user[:password]@]host[:port]/database[?query]} URL names it; its
     * own database is where the suite connects to create and drop others, as it surely exists.
     */
    private record PostgresServer(String userInfo, String host, int port, String ownDatabase, String query) {

        static PostgresServer of(String url) {
            URI uri = URI.create(
                    url.replaceFirst("^jdbc:", "").replaceFirst("^postgres(ql)?(\\+\\w+)?://", "postgresql://"));
            String own = uri.getPath() == null || uri.getPath().length() <= 1
                    ? "postgres"
                    : uri.getPath().substring(1);
            return new PostgresServer(
                    uri.getRawUserInfo(),
                    uri.getHost(),
                    uri.getPort() > 0 ? uri.getPort() : 5432,
                    own,
                    uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }

        /** @return the URL of database {@code name} on this server, in {@code DATABASE_URL}'s form */
        String url(String name) {
            return "postgresql://" + (userInfo == null ? "" : userInfo + "@") + host + ":" + port + "/" + name + query;
        }

        void recreate(String name) throws SQLException {
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + name);
            }
        }

        void drop(String name) throws SQLException {
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }

        private Connection connect() throws SQLException {
            return connect(null);
        }

        /** @param database the database to connect to, or {@code null} for the server's own */
        private Connection connect(String database) throws SQLException {
            String[] credentials = userInfo == null ? new String[] {"postgres"} : userInfo.split(":", 2);
            String user = URLDecoder.decode(credentials[0], StandardCharsets.UTF_8);
            String password = credentials.length > 1 ? URLDecoder.decode(credentials[1], StandardCharsets.UTF_8) : "";
            return DriverManager.getConnection(
                    "jdbc:postgresql://" + host + ":" + port + "/" + (database == null ? ownDatabase : database)
                            + query,
                    user,
                    password);
        }
    }

    /**
     * Runs one query on the suite's database.
     *
     * @param params bound as strings, in order
     * @return the first column of every row, as text
     */
    List<String> query(String sql, String... params) {
        try (Connection c = createdOn != null
                        ? createdOn.connect(database)
                        : PostgresServer.of(databaseUrl).connect(null);
                java.sql.PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setString(i + 1, params[i]);
            }
            List<String> values = new ArrayList<>();
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** Runs {@code sql}, which selects one number and takes one text parameter, on the services' database. */
    long count(String sql, String parameter) {
        try (Connection c = PostgresServer.of(databaseUrl).connect();
                PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** Runs one Redis command (inline protocol) and returns the reply lines (bulk strings for arrays). */
    List<String> redis(String... command) {
        try (Socket socket = new Socket(redisHost, redisPort)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
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
