package dev.switchboard.registry;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers: unique agent names, request bodies, direct PostgreSQL access. */
public final class TestAgents {

    private TestAgents() {}

    /** @return a unique agent name starting with {@code prefix} */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** @return a minimal valid llm agent body */
    public static Map<String, Object> llmAgent(String name, String description, String... capabilities) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("description", description);
        body.put("capabilities", List.of(capabilities));
        body.put("kind", "llm");
        body.put("prompt_id", "general-assistant-system");
        body.put("tools", List.of());
        body.put("examples", List.of("hello there"));
        return body;
    }

    /** @return the PostgreSQL row of {@code name}, or {@code null} */
    public static Row row(Pool pool, String name) {
        RowSet<Row> rows = pool.preparedQuery("SELECT * FROM registry.agents WHERE name = $1")
                .execute(Tuple.of(name))
                .await()
                .indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    /**
     * Deletes the rows whose name starts with {@code prefix} (each test class owns one prefix) and their
     * cache entries, bumping the cache generation as a writer would.
     */
    public static void deleteRows(Pool pool, RedisDataSource redis, String prefix) {
        pool.preparedQuery("DELETE FROM registry.agents WHERE name LIKE $1")
                .execute(Tuple.of(prefix + "%"))
                .await()
                .indefinitely();
        redis.value(String.class).incr("sb:registry:generation");
        List<String> keys = new ArrayList<>(redis.key().keys("sb:registry:agent:" + prefix + "*"));
        keys.add("sb:registry:agents");
        redis.key().del(keys.toArray(String[]::new));
    }
}
