package dev.switchboard.common.config;

import io.smallrye.config.common.MapBackedConfigSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps {@code DATABASE_URL} ({@code postgresql://user:pass@host:port/db}, the form deployments already set) onto
 * Quarkus' datasource properties (JDBC URL for Flyway, reactive URL, username, password). Its ordinal (275) sits
 * between {@code application.properties} (250) and environment variables (300), so explicit
 * {@code QUARKUS_DATASOURCE_*} variables still win.
 */
public class DatabaseUrlConfigSource extends MapBackedConfigSource {

    /** Reads {@code DATABASE_URL} from the environment, then from system properties. */
    public DatabaseUrlConfigSource() {
        super("DATABASE_URL", properties(), 275);
    }

    private static Map<String, String> properties() {
        String url = System.getenv("DATABASE_URL");
        if (url == null || url.isBlank()) {
            url = System.getProperty("DATABASE_URL");
        }
        return url == null || url.isBlank() ? Map.of() : parse(url.trim());
    }

    /**
     * Parses a {@code postgres[ql]://[user[:password]@]host[:port]/database[?query]} URL.
     *
     * @throws IllegalArgumentException if the URL has no host
     */
    public static Map<String, String> parse(String url) {
        String normalized = url.replaceFirst("^jdbc:", "").replaceFirst("^postgres(ql)?(\\+\\w+)?://", "postgresql://");
        URI uri = URI.create(normalized);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String db = uri.getPath() == null || uri.getPath().length() <= 1
                ? "postgres"
                : uri.getPath().substring(1);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db + query);
        props.put("quarkus.datasource.reactive.url", "postgresql://" + uri.getHost() + ":" + port + "/" + db + query);
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            props.put("quarkus.datasource.username", URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
            if (parts.length > 1) {
                props.put("quarkus.datasource.password", URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
        }
        return Map.copyOf(props);
    }
}
