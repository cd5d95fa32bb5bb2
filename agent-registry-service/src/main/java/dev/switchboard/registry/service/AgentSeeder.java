package dev.switchboard.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.common.digest.Sha256;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.seed.SeedEntry;
import dev.switchboard.common.seed.SeedUpserts;
import dev.switchboard.common.seed.YamlSeedReader;
import dev.switchboard.common.text.StorableText;
import dev.switchboard.registry.AgentDefinition;
import dev.switchboard.registry.config.RegistryConfig;
import dev.switchboard.registry.event.AgentEvent;
import dev.switchboard.registry.repository.AgentRepository;
import dev.switchboard.registry.repository.AgentWrite;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Validator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Seeds agents at start from the classpath files listed in {@code agents/index.txt} and from the
 * {@code *.yaml}/{@code *.yml} files of {@code AGENTS_DIR} (which override classpath agents of the same
 * name). Rule: insert if absent; if present, seed-managed ({@code source='seed'}) and the file's content
 * hash changed, update it (keeping its runtime status); an agent changed through the API
 * ({@code source='api'}) is never overwritten. Each agent is one upsert, so replicas starting together
 * are safe. Invalid files (also those with text PostgreSQL cannot store, e.g. a YAML {@code "\0"}) are logged with
 * their line and skipped ({@link YamlSeedReader}); an agent whose write fails is logged and skipped
 * ({@link SeedUpserts}).
 */
@ApplicationScoped
public class AgentSeeder {

    /** Classpath index of the bundled seed files, one file name (relative to {@code agents/}) per line. */
    public static final String INDEX = "agents/index.txt";

    private static final Logger LOG = Logger.getLogger(AgentSeeder.class);

    private final AgentRepository repository;
    private final AgentService service;
    private final RegistryConfig config;
    private final Validator validator;
    private final ObjectMapper yaml;
    private final ObjectMapper canonicalJson;
    private final YamlSeedReader<AgentDefinition> reader;

    /** Constructor injection. */
    public AgentSeeder(
            AgentRepository repository,
            AgentService service,
            RegistryConfig config,
            Validator validator,
            ObjectMapper json) {
        this.repository = repository;
        this.service = service;
        this.config = config;
        this.validator = validator;
        this.yaml = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        this.canonicalJson = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.reader = YamlSeedReader.of("agent", yaml, AgentDefinition.class, this::check);
    }

    /** What seeding did to one agent. */
    public enum Outcome {
        /** The agent was absent and was inserted. */
        INSERTED,
        /** The seed-managed agent's file changed and the row was updated. */
        UPDATED,
        /** The row is seed-managed and already has this file's content. */
        UNCHANGED,
        /** The row was changed through the API; seeding left it alone. */
        API_MANAGED
    }

    /**
     * @param name    the agent
     * @param origin  the seed file
     * @param outcome what seeding did
     */
    public record SeedResult(String name, String origin, Outcome outcome) {}

    /** Seeds at start, before the heartbeat monitor is scheduled; blocks startup until done. */
    void seedAtStart(@Observes @Priority(10) StartupEvent event) {
        List<SeedEntry<AgentDefinition>> entries = new ArrayList<>(reader.readClasspath(INDEX));
        config.seedDir()
                .filter(dir -> !dir.isBlank())
                .ifPresent(dir -> entries.addAll(reader.readDirectory(Path.of(dir))));
        List<SeedResult> results = seed(entries).await().atMost(Duration.ofMinutes(2));
        LOG.infof(
                "Seeding done: %d agent file(s), %d inserted, %d updated",
                results.size(),
                results.stream().filter(r -> r.outcome() == Outcome.INSERTED).count(),
                results.stream().filter(r -> r.outcome() == Outcome.UPDATED).count());
    }

    /** Reads and seeds the agent files of {@code dir} (see {@link YamlSeedReader#readDirectory} and {@link #seed}). */
    public Uni<List<SeedResult>> seedDirectory(Path dir) {
        return seed(reader.readDirectory(dir));
    }

    /**
     * Seeds the given agents in order; when two files define the same agent, the later one wins.
     *
     * @return one result per distinct agent seeded (an agent whose write failed is logged and left out)
     */
    public Uni<List<SeedResult>> seed(List<SeedEntry<AgentDefinition>> entries) {
        return SeedUpserts.upsertAll("agent", entries, AgentDefinition::name, this::seedAgent);
    }

    private Uni<SeedResult> seedAgent(SeedEntry<AgentDefinition> entry) {
        AgentDefinition def = entry.value();
        return repository
                .seedAgent(def, seedHash(def))
                .call(write -> service.afterWrite(write, AgentEvent.UPDATED))
                .chain(write -> write.change() != AgentWrite.Change.UNCHANGED
                        ? Uni.createFrom()
                                .item(write.change() == AgentWrite.Change.CREATED ? Outcome.INSERTED : Outcome.UPDATED)
                        : repository
                                .findSource(def.name())
                                .map(source -> "api".equals(source) ? Outcome.API_MANAGED : Outcome.UNCHANGED))
                .map(outcome -> new SeedResult(def.name(), entry.origin(), outcome))
                .invoke(result -> LOG.infof(
                        "Seed %s: agent %s %s",
                        result.origin(),
                        result.name(),
                        result.outcome().name().toLowerCase().replace('_', '-')));
    }

    /**
     * Checks one agent as read from YAML: bean validation, the agent rules, a name, and text PostgreSQL can store.
     *
     * @return the normalized definition
     * @throws IllegalArgumentException listing every problem, so the file is skipped with all of them named
     */
    private AgentDefinition check(AgentDefinition def) {
        List<String> problems = new ArrayList<>();
        validator.validate(def).forEach(v -> problems.add(v.getPropertyPath() + " " + v.getMessage()));
        for (Problem.FieldError error : def.ruleViolations()) {
            problems.add(error.field() + " " + error.message());
        }
        if (def.name() == null) {
            problems.add("name must not be null");
        }
        // the YAML mapper has no text check of its own (the service's JSON mapper would throw rather than tell where):
        // PostgreSQL would refuse the whole seed run
        StorableText.Unstorable unstorable = StorableText.findUnstorable(yaml.valueToTree(def));
        if (unstorable != null) {
            problems.add(unstorable.path().stream()
                            .map(e -> StorableText.replaceUnstorable(String.valueOf(e)))
                            .collect(Collectors.joining("."))
                    + " holds a character that cannot be stored (" + unstorable.description() + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return def.normalized(def.name());
    }

    /**
     * Content hash of a seed definition: SHA-256 of its canonical JSON without {@code status} (status is
     * runtime state), so comments and formatting do not count as changes.
     */
    public String seedHash(AgentDefinition def) {
        AgentDefinition content = new AgentDefinition(
                def.name(),
                def.description(),
                def.capabilities(),
                def.version(),
                null,
                def.kind(),
                def.promptId(),
                def.model(),
                def.tools(),
                def.endpoint(),
                def.examples(),
                def.metadata(),
                def.isDefault());
        try {
            return Sha256.hex(canonicalJson.writeValueAsBytes(content));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot hash agent definition " + def.name(), e);
        }
    }
}
