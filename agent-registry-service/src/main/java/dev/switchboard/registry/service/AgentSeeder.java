package dev.switchboard.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.common.digest.Sha256;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.text.StorableText;
import dev.switchboard.registry.AgentDefinition;
import dev.switchboard.registry.config.RegistryConfig;
import dev.switchboard.registry.event.AgentEvent;
import dev.switchboard.registry.repository.AgentRepository;
import dev.switchboard.registry.repository.AgentWrite;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Seeds agents at start from the classpath files listed in {@code agents/index.txt} and from the
 * {@code *.yaml}/{@code *.yml} files of {@code AGENTS_DIR} (which override classpath agents of the same
 * name). Rule: insert if absent; if present, seed-managed ({@code source='seed'}) and the file's content
 * hash changed, update it (keeping its runtime status); an agent changed through the API
 * ({@code source='api'}) is never overwritten. Each agent is one upsert, so replicas starting together
 * are safe. Invalid files (also those with text PostgreSQL cannot store, e.g. a YAML {@code "\0"}) are logged and
 * skipped.
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

    /** Constructor injection. */
    public AgentSeeder(AgentRepository repository, AgentService service, RegistryConfig config, Validator validator,
            ObjectMapper json) {
        this.repository = repository;
        this.service = service;
        this.config = config;
        this.validator = validator;
        this.yaml = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        this.canonicalJson = json.copy()
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /**
     * One parsed seed file.
     *
     * @param origin     where it came from, e.g. {@code classpath:agents/x.yaml}
     * @param definition its normalized content
     */
    public record SeedFile(String origin, AgentDefinition definition) {
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
    public record SeedResult(String name, String origin, Outcome outcome) {
    }

    /** Seeds at start, before the heartbeat monitor is scheduled; blocks startup until done. */
    void seedAtStart(@Observes @Priority(10) StartupEvent event) {
        List<SeedFile> files = new ArrayList<>(loadClasspath());
        config.seedDir().filter(dir -> !dir.isBlank()).ifPresent(dir -> files.addAll(loadDirectory(Path.of(dir))));
        List<SeedResult> results = seed(files).await().atMost(Duration.ofMinutes(2));
        LOG.infof("Seeding done: %d agent file(s), %d inserted, %d updated", results.size(),
                results.stream().filter(r -> r.outcome() == Outcome.INSERTED).count(),
                results.stream().filter(r -> r.outcome() == Outcome.UPDATED).count());
    }

    /** Parses and seeds the agent files of {@code dir} (see {@link #loadDirectory} and {@link #seed}). */
    public Uni<List<SeedResult>> seedDirectory(Path dir) {
        return seed(loadDirectory(dir));
    }

    /**
     * Seeds the given files in order; when two files define the same agent, the later one wins.
     *
     * @return one result per distinct agent
     */
    public Uni<List<SeedResult>> seed(List<SeedFile> files) {
        Map<String, SeedFile> byName = new LinkedHashMap<>();
        for (SeedFile file : files) {
            SeedFile previous = byName.put(file.definition().name(), file);
            if (previous != null) {
                LOG.infof("Seed file %s overrides %s for agent %s", file.origin(), previous.origin(),
                        file.definition().name());
            }
        }
        return Multi.createFrom().iterable(byName.values())
                .onItem().transformToUniAndConcatenate(this::seedAgent)
                .collect().asList();
    }

    private Uni<SeedResult> seedAgent(SeedFile file) {
        AgentDefinition def = file.definition();
        return repository.seedAgent(def, seedHash(def))
                .call(write -> service.afterWrite(write, AgentEvent.UPDATED))
                .chain(write -> write.change() != AgentWrite.Change.UNCHANGED
                        ? Uni.createFrom().item(write.change() == AgentWrite.Change.CREATED ? Outcome.INSERTED
                                : Outcome.UPDATED)
                        : repository.findSource(def.name()).map(source -> "api".equals(source)
                                ? Outcome.API_MANAGED : Outcome.UNCHANGED))
                .map(outcome -> new SeedResult(def.name(), file.origin(), outcome))
                .invoke(result -> LOG.infof("Seed %s: agent %s %s", result.origin(), result.name(),
                        result.outcome().name().toLowerCase().replace('_', '-')));
    }

    /** @return the valid agent files listed in the classpath {@link #INDEX} (none if it is missing) */
    public List<SeedFile> loadClasspath() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<SeedFile> files = new ArrayList<>();
        try (InputStream index = loader.getResourceAsStream(INDEX)) {
            if (index == null) {
                LOG.warnf("No %s on the classpath: no bundled agents seeded", INDEX);
                return files;
            }
            for (String line : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                String resource = "agents/" + entry;
                try (InputStream in = loader.getResourceAsStream(resource)) {
                    if (in == null) {
                        LOG.errorf("Seed file %s is listed in %s but missing", resource, INDEX);
                        continue;
                    }
                    parse("classpath:" + resource, in.readAllBytes()).ifPresent(files::add);
                }
            }
        } catch (IOException e) {
            LOG.errorf(e, "Cannot read %s", INDEX);
        }
        return files;
    }

    /** @return the valid {@code *.yaml}/{@code *.yml} agent files of {@code dir}, by file name (none if it is missing) */
    public List<SeedFile> loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.warnf("Agent seed directory %s does not exist", dir);
            return List.of();
        }
        try (Stream<Path> paths = Files.list(dir)) {
            List<SeedFile> files = new ArrayList<>();
            for (Path path : paths.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList()) {
                parse(path.toString(), Files.readAllBytes(path)).ifPresent(files::add);
            }
            return files;
        } catch (IOException e) {
            LOG.errorf(e, "Cannot read agent seed directory %s", dir);
            return List.of();
        }
    }

    private Optional<SeedFile> parse(String origin, byte[] content) {
        AgentDefinition def;
        try {
            def = yaml.readValue(content, AgentDefinition.class);
        } catch (IOException e) {
            LOG.errorf("Skipping seed file %s: not a valid agent YAML (%s)", origin, e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage());
            return Optional.empty();
        }
        if (def == null) {
            LOG.errorf("Skipping seed file %s: empty", origin);
            return Optional.empty();
        }
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
            problems.add(unstorable.path().stream().map(e -> StorableText.replaceUnstorable(String.valueOf(e)))
                    .collect(Collectors.joining("."))
                    + " holds a character that cannot be stored (" + unstorable.description() + ")");
        }
        if (!problems.isEmpty()) {
            LOG.errorf("Skipping seed file %s: %s", origin, String.join("; ", problems));
            return Optional.empty();
        }
        return Optional.of(new SeedFile(origin, def.normalized(def.name())));
    }

    /**
     * Content hash of a seed definition: SHA-256 of its canonical JSON without {@code status} (status is
     * runtime state), so comments and formatting do not count as changes.
     */
    public String seedHash(AgentDefinition def) {
        AgentDefinition content = new AgentDefinition(def.name(), def.description(), def.capabilities(),
                def.version(), null, def.kind(), def.promptId(), def.model(), def.tools(), def.endpoint(),
                def.examples(), def.metadata(), def.isDefault());
        try {
            return Sha256.hex(canonicalJson.writeValueAsBytes(content));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot hash agent definition " + def.name(), e);
        }
    }
}
