package dev.switchboard.prompts.repository;

import dev.switchboard.prompts.Prompt;
import dev.switchboard.prompts.PromptVersion;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain SQL on schema {@code prompts}. Every method takes the {@link SqlClient} to run on, so the service
 * decides what runs inside one transaction. Deleted prompts (soft delete) are invisible to the
 * {@code find*} methods.
 */
@ApplicationScoped
public class PromptRepository {

    private static final String PROMPT_COLUMNS =
            "id, name, type, is_active, is_default, source, created_at, updated_at";
    private static final String VERSION_COLUMNS =
            "prompt_id, version, content, variables, model_config, semver, content_hash, author, message, created_at";

    /**
     * Inserts a prompt row unless the id exists (deleted or not).
     *
     * @return true when this call inserted it
     */
    public Uni<Boolean> insertPrompt(SqlClient client, Prompt prompt) {
        return client.preparedQuery("""
                INSERT INTO prompts.prompts (id, name, type, is_active, is_default, source)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (id) DO NOTHING
                RETURNING id""")
                .execute(Tuple.of(
                        prompt.id(),
                        prompt.name(),
                        prompt.type(),
                        prompt.active(),
                        prompt.isDefault(),
                        prompt.source()))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Locks a prompt row (deleted or not) for the rest of the transaction, so concurrent writers of the
     * same prompt (API calls, importers of two replicas) take turns.
     *
     * @return the row and whether it is deleted, or {@code null} when absent
     */
    public Uni<LockedPrompt> lockPrompt(SqlClient client, String id) {
        return client.preparedQuery("SELECT " + PROMPT_COLUMNS + ", deleted_at IS NOT NULL AS deleted"
                        + " FROM prompts.prompts WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .map(rows -> first(rows, row -> new LockedPrompt(toPrompt(row), row.getBoolean("deleted"))));
    }

    /** @return the undeleted prompt, or {@code null} */
    public Uni<Prompt> findPrompt(SqlClient client, String id) {
        return client.preparedQuery(
                        "SELECT " + PROMPT_COLUMNS + " FROM prompts.prompts WHERE id = $1 AND deleted_at IS NULL")
                .execute(Tuple.of(id))
                .map(rows -> first(rows, PromptRepository::toPrompt));
    }

    /** @return undeleted prompts sorted by id, all types when {@code type} is null */
    public Uni<List<Prompt>> listPrompts(SqlClient client, String type) {
        return client.preparedQuery("SELECT " + PROMPT_COLUMNS + " FROM prompts.prompts"
                        + " WHERE deleted_at IS NULL AND ($1::text IS NULL OR type = $1) ORDER BY id")
                .execute(Tuple.of(type))
                .map(rows -> all(rows, PromptRepository::toPrompt));
    }

    /** Overwrites a prompt's flags, marks it undeleted and sets its source and {@code updated_at}. */
    public Uni<Void> updatePrompt(SqlClient client, Prompt prompt) {
        return client.preparedQuery("""
                UPDATE prompts.prompts
                   SET name = $2, type = $3, is_active = $4, is_default = $5, source = $6,
                       deleted_at = NULL, updated_at = now()
                 WHERE id = $1""")
                .execute(Tuple.of(
                        prompt.id(),
                        prompt.name(),
                        prompt.type(),
                        prompt.active(),
                        prompt.isDefault(),
                        prompt.source()))
                .replaceWithVoid();
    }

    /** Sets {@code updated_at} to now. */
    public Uni<Void> touchPrompt(SqlClient client, String id) {
        return client.preparedQuery("UPDATE prompts.prompts SET updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /**
     * Soft-deletes a prompt and marks it API-managed (so the importer does not bring it back).
     *
     * @return true when an undeleted prompt was deleted
     */
    public Uni<Boolean> deletePrompt(SqlClient client, String id) {
        return client.preparedQuery("""
                UPDATE prompts.prompts SET deleted_at = now(), updated_at = now(), source = 'api'
                 WHERE id = $1 AND deleted_at IS NULL""").execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    /** Inserts a version; versions are never updated. */
    public Uni<Void> insertVersion(SqlClient client, PromptVersion v) {
        return client.preparedQuery("INSERT INTO prompts.prompt_versions (" + VERSION_COLUMNS + ")"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())")
                .execute(Tuple.from(new Object[] {
                    v.promptId(),
                    v.version(),
                    v.content(),
                    new JsonArray(v.variables()),
                    new JsonObject(v.modelConfig()),
                    v.semver(),
                    v.contentHash(),
                    v.author(),
                    v.message()
                }))
                .replaceWithVoid();
    }

    /** @return the newest version, or {@code null} when the prompt has none */
    public Uni<PromptVersion> findLatestVersion(SqlClient client, String id) {
        return client.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM prompts.prompt_versions"
                        + " WHERE prompt_id = $1 ORDER BY version DESC LIMIT 1")
                .execute(Tuple.of(id))
                .map(rows -> first(rows, PromptRepository::toVersion));
    }

    /** @return the version, or {@code null} */
    public Uni<PromptVersion> findVersion(SqlClient client, String id, int version) {
        return client.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM prompts.prompt_versions"
                        + " WHERE prompt_id = $1 AND version = $2")
                .execute(Tuple.of(id, version))
                .map(rows -> first(rows, PromptRepository::toVersion));
    }

    /** @return every version of the prompt, newest first */
    public Uni<List<PromptVersion>> listVersions(SqlClient client, String id) {
        return client.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM prompts.prompt_versions"
                        + " WHERE prompt_id = $1 ORDER BY version DESC")
                .execute(Tuple.of(id))
                .map(rows -> all(rows, PromptRepository::toVersion));
    }

    /** @return the version the label points at, or {@code null} */
    public Uni<Integer> findLabel(SqlClient client, String id, String label) {
        return client.preparedQuery("SELECT version FROM prompts.prompt_labels WHERE prompt_id = $1 AND label = $2")
                .execute(Tuple.of(id, label))
                .map(rows -> first(rows, row -> row.getInteger("version")));
    }

    /** @return label name to version, sorted by label */
    public Uni<Map<String, Integer>> findLabels(SqlClient client, String id) {
        return client.preparedQuery(
                        "SELECT label, version FROM prompts.prompt_labels WHERE prompt_id = $1 ORDER BY label")
                .execute(Tuple.of(id))
                .map(rows -> {
                    Map<String, Integer> labels = new LinkedHashMap<>();
                    rows.forEach(row -> labels.put(row.getString("label"), row.getInteger("version")));
                    return labels;
                });
    }

    /** Points a label at a version (creating the label if new). */
    public Uni<Void> upsertLabel(SqlClient client, String id, String label, int version) {
        return client.preparedQuery("""
                INSERT INTO prompts.prompt_labels (prompt_id, label, version, updated_at)
                VALUES ($1, $2, $3, now())
                ON CONFLICT (prompt_id, label) DO UPDATE SET version = EXCLUDED.version, updated_at = now()""").execute(Tuple.of(id, label, version)).replaceWithVoid();
    }

    private static Prompt toPrompt(Row row) {
        return new Prompt(
                row.getString("id"),
                row.getString("name"),
                row.getString("type"),
                row.getBoolean("is_active"),
                row.getBoolean("is_default"),
                row.getString("source"),
                row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }

    private static PromptVersion toVersion(Row row) {
        JsonArray variables = row.getJsonArray("variables");
        JsonObject modelConfig = row.getJsonObject("model_config");
        List<String> names = new ArrayList<>();
        if (variables != null) {
            variables.forEach(v -> names.add(String.valueOf(v)));
        }
        return new PromptVersion(
                row.getString("prompt_id"),
                row.getInteger("version"),
                row.getString("content"),
                List.copyOf(names),
                modelConfig == null ? Map.of() : modelConfig.getMap(),
                row.getString("semver"),
                row.getString("content_hash"),
                row.getString("author"),
                row.getString("message"),
                row.getOffsetDateTime("created_at"));
    }

    private static <T> T first(RowSet<Row> rows, java.util.function.Function<Row, T> mapper) {
        var it = rows.iterator();
        return it.hasNext() ? mapper.apply(it.next()) : null;
    }

    private static <T> List<T> all(RowSet<Row> rows, java.util.function.Function<Row, T> mapper) {
        List<T> out = new ArrayList<>();
        rows.forEach(row -> out.add(mapper.apply(row)));
        return out;
    }

    /**
     * A prompt row read under a row lock.
     *
     * @param prompt  the row
     * @param deleted whether it is soft-deleted
     */
    public record LockedPrompt(Prompt prompt, boolean deleted) {}
}
