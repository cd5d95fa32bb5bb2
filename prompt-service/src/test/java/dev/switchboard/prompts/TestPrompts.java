package dev.switchboard.prompts;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Helpers shared by the Quarkus tests: unique ids and direct reads/cleanup of the prompt tables. */
final class TestPrompts {

    private TestPrompts() {}

    /** @return a unique prompt id starting with {@code prefix} */
    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** @return how many versions the prompt has in PostgreSQL */
    static long versionCount(Pool pool, String id) {
        Row row = pool.preparedQuery("SELECT count(*) AS n FROM prompts.prompt_versions WHERE prompt_id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next();
        return row.getLong("n");
    }

    /** @return whether a prompt row (deleted or not) exists */
    static boolean promptRowExists(Pool pool, String id) {
        return pool.preparedQuery("SELECT 1 FROM prompts.prompts WHERE id = $1")
                        .execute(Tuple.of(id))
                        .await()
                        .indefinitely()
                        .rowCount()
                > 0;
    }

    /** @return label to version, straight from the table */
    static Map<String, Integer> labels(Pool pool, String id) {
        Map<String, Integer> labels = new HashMap<>();
        pool.preparedQuery("SELECT label, version FROM prompts.prompt_labels WHERE prompt_id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .forEach(row -> labels.put(row.getString("label"), row.getInteger("version")));
        return labels;
    }

    /** Deletes every prompt whose id starts with {@code prefix} (versions and labels cascade). */
    static void deleteByPrefix(Pool pool, String prefix) {
        pool.preparedQuery("DELETE FROM prompts.prompts WHERE id LIKE $1")
                .execute(Tuple.of(prefix + "%"))
                .await()
                .indefinitely();
    }
}
