package dev.switchboard.prompts.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.switchboard.common.seed.SeedEntry;
import dev.switchboard.common.seed.SeedFileException;
import dev.switchboard.common.seed.SeedUpserts;
import dev.switchboard.common.seed.YamlSeedReader;
import dev.switchboard.common.text.StorableText;
import dev.switchboard.prompts.PromptDefinition;
import dev.switchboard.prompts.PromptType;
import dev.switchboard.prompts.PromptVersion;
import dev.switchboard.prompts.ResolvedPrompt;
import dev.switchboard.prompts.config.PromptConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Imports YAML prompt files: the bundled {@code prompts/*.yaml} (listed in
 * {@code prompts/index.txt} so they are found inside a jar) and, if set, every {@code *.yaml}/{@code *.yml}
 * in {@code PROMPTS_DIR}. Runs at start, optionally again every {@code PROMPTS_RELOAD_INTERVAL}. A bad file is
 * logged with its line and skipped whole ({@link YamlSeedReader}); a prompt whose import fails is logged and skipped
 * ({@link SeedUpserts}); the others are still imported. When two files hold the same id, the later one wins.
 */
@ApplicationScoped
public class PromptImporter {

    private static final Logger LOG = Logger.getLogger(PromptImporter.class);
    private static final Pattern ID = Pattern.compile(dev.switchboard.common.validation.Ids.PATTERN);
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final YamlSeedReader<PromptDefinition> READER =
            YamlSeedReader.of("prompt", YAML, YamlPrompt.class, YamlPrompt::toDefinition);

    private final PromptService service;
    private final PromptConfig config;

    /** Constructor injection. */
    public PromptImporter(PromptService service, PromptConfig config) {
        this.service = service;
        this.config = config;
    }

    /** Imports at start, before the HTTP server takes traffic (runs on the main thread, so blocking is fine). */
    void onStart(@Observes StartupEvent event) {
        if (!config.importer().enabled()) {
            LOG.info("Prompt import disabled");
            return;
        }
        importAll().await().indefinitely();
    }

    /** Re-imports on a timer when {@code prompts.import.reload-interval} is set (default off). */
    @Scheduled(
            every = "${prompts.import.reload-interval:off}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "prompt-reimport")
    void reimport() {
        if (config.importer().enabled()) {
            importAll().await().indefinitely();
        }
    }

    /**
     * Reads every configured YAML file and imports its prompts one by one.
     *
     * @return how many prompts had each outcome (invalid entries are logged and not counted)
     */
    public Uni<Map<ImportOutcome, Integer>> importAll() {
        List<SeedEntry<PromptDefinition>> entries =
                new ArrayList<>(READER.readClasspath(config.importer().classpathIndex()));
        config.importer().dir().ifPresent(dir -> entries.addAll(READER.readDirectory(Path.of(dir))));
        return SeedUpserts.upsertAll(
                        "prompt",
                        entries,
                        PromptDefinition::id,
                        entry -> service.importPrompt(
                                entry.value(), config.importer().labels()))
                .map(outcomes -> {
                    Map<ImportOutcome, Integer> counts = new EnumMap<>(ImportOutcome.class);
                    outcomes.forEach(outcome -> counts.merge(outcome, 1, Integer::sum));
                    return counts;
                })
                .invoke(result -> LOG.infof("Prompt import done: %s", result));
    }

    /** Writer of the export: the import format's keys, multi-line content as a literal block, no document marker. */
    private static final ObjectMapper YAML_OUT = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));

    /**
     * Writes prompts in the import YAML format (a list of {@code id, name, type, version, content, variables,
     * model_config, is_active, is_default}), the format {@link #parse(InputStream)} reads: importing the output
     * into an empty database recreates the same prompts, and importing it again writes nothing.
     *
     * @param prompts the prompts at the versions to write ({@code version} = the version's semver, else its number)
     * @return the YAML text
     * @throws IllegalStateException when Jackson cannot write it (never for these types)
     */
    public static String export(List<ResolvedPrompt> prompts) {
        List<Map<String, Object>> entries = new ArrayList<>(prompts.size());
        for (ResolvedPrompt resolved : prompts) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", resolved.prompt().id());
            entry.put("name", resolved.prompt().name());
            entry.put("type", resolved.prompt().type());
            PromptVersion version = resolved.version();
            entry.put("version", version.semver() != null ? version.semver() : Integer.toString(version.version()));
            entry.put("content", version.content());
            entry.put("variables", version.variables() == null ? List.of() : version.variables());
            if (version.modelConfig() != null && !version.modelConfig().isEmpty()) {
                entry.put("model_config", version.modelConfig());
            }
            entry.put("is_active", resolved.prompt().active());
            entry.put("is_default", resolved.prompt().isDefault());
            entries.add(entry);
        }
        try {
            return YAML_OUT.writeValueAsString(entries);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write prompts as YAML", e);
        }
    }

    /**
     * Parses one prompt YAML file: a list of prompt entries (several {@code ---} documents may follow each other).
     *
     * @throws IOException      on unreadable or malformed YAML (the message names the line)
     * @throws InvalidPromptFileException on an entry without a valid id, type or content, or with text PostgreSQL
     *                                     cannot store (the detail names the line)
     */
    public static List<PromptDefinition> parse(InputStream yaml) throws IOException {
        try {
            return READER.read("YAML", yaml.readAllBytes()).stream()
                    .map(SeedEntry::value)
                    .toList();
        } catch (SeedFileException e) {
            if (e.getCause() instanceof InvalidPromptFileException) {
                throw YamlPrompt.invalid(e.where() + e.detail());
            }
            throw new IOException(e.getMessage(), e);
        }
    }

    /** One entry of a prompt YAML file. */
    record YamlPrompt(
            String id,
            String name,
            String type,
            String version,
            String content,
            List<String> variables,
            Map<String, Object> modelConfig,
            Boolean isActive,
            Boolean isDefault) {

        @JsonCreator
        static YamlPrompt create(
                @JsonProperty("id") String id,
                @JsonProperty("name") String name,
                @JsonProperty("type") String type,
                @JsonProperty("version") String version,
                @JsonProperty("content") String content,
                @JsonProperty("variables") List<String> variables,
                @JsonProperty("model_config") Map<String, Object> modelConfig,
                @JsonProperty("is_active") Boolean isActive,
                @JsonProperty("is_default") Boolean isDefault) {
            return new YamlPrompt(id, name, type, version, content, variables, modelConfig, isActive, isDefault);
        }

        PromptDefinition toDefinition() {
            if (id == null || !ID.matcher(id).matches()) {
                throw invalid("entry id '" + id + "' " + dev.switchboard.common.validation.Ids.MESSAGE);
            }
            if (type == null || !PromptType.wireNames().contains(type)) {
                throw invalid("prompt " + id + ": type must be one of " + PromptType.wireNames());
            }
            if (content == null || content.isBlank()) {
                throw invalid("prompt " + id + ": content is empty");
            }
            // YAML escapes can make text PostgreSQL cannot store (U+0000, lone surrogates): say where, not fail a write
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", name);
            fields.put("version", version);
            fields.put("content", content);
            fields.put("variables", variables);
            fields.put("model_config", modelConfig);
            StorableText.Unstorable unstorable = StorableText.findUnstorable(YAML.valueToTree(fields));
            if (unstorable != null) {
                throw invalid("prompt " + id + ": "
                        + unstorable.path().stream()
                                .map(part -> StorableText.replaceUnstorable(String.valueOf(part)))
                                .collect(Collectors.joining("."))
                        + " holds a character that cannot be stored ("
                        + unstorable.description() + ")");
            }
            return new PromptDefinition(
                    id,
                    name,
                    type,
                    version,
                    content,
                    variables,
                    modelConfig,
                    isActive == null || isActive,
                    isDefault != null && isDefault);
        }

        static InvalidPromptFileException invalid(String detail) {
            return new InvalidPromptFileException(detail);
        }
    }
}
