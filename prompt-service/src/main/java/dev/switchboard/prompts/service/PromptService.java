package dev.switchboard.prompts.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchboard.common.digest.Sha256;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.common.template.PromptTemplate;
import dev.switchboard.prompts.InvalidLabelException;
import dev.switchboard.prompts.LabelMove;
import dev.switchboard.prompts.LabelNotFoundException;
import dev.switchboard.prompts.Prompt;
import dev.switchboard.prompts.PromptChange;
import dev.switchboard.prompts.PromptDefinition;
import dev.switchboard.prompts.PromptDetails;
import dev.switchboard.prompts.PromptExistsException;
import dev.switchboard.prompts.PromptInUseException;
import dev.switchboard.prompts.PromptNotFoundException;
import dev.switchboard.prompts.PromptTemplates;
import dev.switchboard.prompts.PromptVersion;
import dev.switchboard.prompts.RegistryUnavailableException;
import dev.switchboard.prompts.ResolvedPrompt;
import dev.switchboard.prompts.VersionNotFoundException;
import dev.switchboard.prompts.client.AgentRegistryClient;
import dev.switchboard.prompts.event.PromptEvent;
import dev.switchboard.prompts.event.PromptEventPublisher;
import dev.switchboard.prompts.repository.PromptRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The prompt rules: resolving labels and versions, rendering, creating immutable versions, moving labels
 * and the YAML import. Writes run in one PostgreSQL transaction that first locks the prompt row, so
 * concurrent writers (two admins, two replicas importing) take turns; events are published after commit.
 */
@ApplicationScoped
public class PromptService {

    /** The label a read uses when none is given. */
    public static final String DEFAULT_LABEL = "production";
    /** The implicit label that always means the newest version. */
    public static final String LATEST = "latest";
    /** Labels a new prompt (and, by default, a new version) is published under. */
    public static final List<String> INITIAL_LABELS = List.of("production", "staging");
    /** Author recorded on versions written by the YAML import. */
    public static final String IMPORT_AUTHOR = "seed-import";

    private static final Logger LOG = Logger.getLogger(PromptService.class);
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Pool pool;
    private final PromptRepository repository;
    private final PromptEventPublisher events;
    private final MeterRegistry metrics;
    private final AgentRegistryClient registry;

    /** Constructor injection. */
    public PromptService(
            Pool pool,
            PromptRepository repository,
            PromptEventPublisher events,
            MeterRegistry metrics,
            AgentRegistryClient registry) {
        this.pool = pool;
        this.repository = repository;
        this.events = events;
        this.metrics = metrics;
        this.registry = registry;
    }

    // ---- reads ------------------------------------------------------------------------------------

    /**
     * Resolves a prompt to one version: by {@code version} when given, else by {@code label}
     * ({@code production} by default; {@code latest} = newest version).
     *
     * @throws PromptNotFoundException  unknown or deleted prompt
     * @throws LabelNotFoundException   the label does not exist on this prompt
     * @throws VersionNotFoundException the version does not exist
     */
    public Uni<ResolvedPrompt> findPrompt(String id, String label, Integer version) {
        if (label != null && version != null) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            CommonProblem.BAD_REQUEST, "Give either 'label' or 'version', not both"));
        }
        return repository
                .findPrompt(pool, id)
                .onItem()
                .ifNull()
                .failWith(() -> new PromptNotFoundException(id))
                .chain(prompt -> resolveVersion(pool, id, label, version)
                        .map(v -> new ResolvedPrompt(prompt, v, version != null ? null : labelOrDefault(label))));
    }

    /**
     * Renders a prompt version strictly.
     *
     * @return the resolved prompt and its rendered text
     * @throws dev.switchboard.prompts.MissingVariablesException when a placeholder has no value
     */
    public Uni<RenderedPrompt> renderPrompt(String id, String label, Integer version, Map<String, String> variables) {
        return findPrompt(id, label, version).map(resolved -> {
            try {
                String text = PromptTemplates.renderStrict(
                        PromptTemplates.parse(resolved.version().content()), variables);
                metrics.counter("prompts.renders", "outcome", "ok").increment();
                return new RenderedPrompt(resolved, text);
            } catch (ProblemException e) {
                metrics.counter("prompts.renders", "outcome", "missing_variables")
                        .increment();
                throw e;
            }
        });
    }

    /** Renders leniently for the admin test endpoint: reports missing and unused variables instead of failing. */
    public Uni<PromptTemplate.Rendering> testPrompt(
            String id, String label, Integer version, Map<String, String> variables) {
        return findPrompt(id, label, version)
                .map(resolved ->
                        PromptTemplates.parse(resolved.version().content()).render(variables));
    }

    /** @return every undeleted prompt (of {@code type} when given) with labels and newest version, by id */
    public Uni<List<PromptDetails>> listPrompts(String type) {
        return repository
                .listPrompts(pool, type)
                .onItem()
                .transformToMulti(prompts -> Multi.createFrom().iterable(prompts))
                .onItem()
                .transformToUniAndConcatenate(prompt -> details(pool, prompt))
                .collect()
                .asList();
    }

    /**
     * @return the prompt with labels and newest version
     * @throws PromptNotFoundException unknown or deleted prompt
     */
    public Uni<PromptDetails> findPromptDetails(String id) {
        return repository
                .findPrompt(pool, id)
                .onItem()
                .ifNull()
                .failWith(() -> new PromptNotFoundException(id))
                .chain(prompt -> details(pool, prompt));
    }

    /**
     * @return every version, newest first, and the labels
     * @throws PromptNotFoundException unknown or deleted prompt
     */
    public Uni<PromptHistory> listVersions(String id) {
        return repository
                .findPrompt(pool, id)
                .onItem()
                .ifNull()
                .failWith(() -> new PromptNotFoundException(id))
                .chain(prompt -> repository
                        .listVersions(pool, id)
                        .chain(versions -> repository
                                .findLabels(pool, id)
                                .map(labels -> new PromptHistory(prompt, versions, labels))));
    }

    // ---- writes -----------------------------------------------------------------------------------

    /**
     * Creates a prompt with version 1 labelled production and staging ({@code source=api}). An id that
     * was deleted is re-created: its next version gets the content and the labels.
     *
     * @throws dev.switchboard.prompts.InvalidTemplateException bad placeholders or declared variables (nothing written)
     * @throws PromptExistsException                            the id is taken
     */
    public Uni<PromptDetails> createPrompt(PromptDefinition definition, String author, String message) {
        PromptTemplate template;
        try {
            template = PromptTemplates.parseDeclared(definition.content(), definition.variables());
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
        Prompt prompt = toPrompt(definition, Prompt.SOURCE_API);
        Map<String, Object> modelConfig = modelConfig(definition.modelConfig());
        return pool.withTransaction(conn -> repository
                        .insertPrompt(conn, prompt)
                        .chain(inserted -> inserted
                                ? Uni.createFrom().item(0)
                                : repository.lockPrompt(conn, prompt.id()).map(locked -> {
                                    if (!locked.deleted()) {
                                        throw new PromptExistsException(prompt.id());
                                    }
                                    return -1;
                                }))
                        .chain(state ->
                                state == 0 ? Uni.createFrom().voidItem() : repository.updatePrompt(conn, prompt))
                        .chain(() -> repository.findLatestVersion(conn, prompt.id()))
                        .chain(latest -> writeVersion(
                                conn,
                                prompt.id(),
                                latest,
                                template,
                                modelConfig,
                                definition.semver(),
                                author == null ? "api" : author,
                                message,
                                INITIAL_LABELS))
                        .chain(version -> details(conn, prompt.id())))
                .call(details -> events.publish(PromptEvent.of(
                        PromptEvent.CREATED,
                        details.prompt().id(),
                        details.latest().version(),
                        null)))
                .invoke(details -> LOG.infof(
                        "Created prompt %s version %d",
                        details.prompt().id(), details.latest().version()));
    }

    /**
     * Applies a change: a different content or model config makes a new immutable version (labels
     * {@code change.labels()}, default production and staging, move to it); flags are updated in place.
     * Nothing is written (and no event sent) when nothing differs. The prompt becomes API-managed.
     *
     * @throws PromptNotFoundException                          unknown or deleted prompt
     * @throws dev.switchboard.prompts.InvalidTemplateException bad placeholders or declared variables (nothing written)
     * @throws InvalidLabelException                            a label is {@code latest}
     */
    public Uni<PromptDetails> updatePrompt(String id, PromptChange change) {
        List<String> labels = change.labels() == null ? INITIAL_LABELS : change.labels();
        if (labels.stream().anyMatch(LATEST::equals)) {
            return Uni.createFrom().failure(new InvalidLabelException(LATEST));
        }
        return pool.withTransaction(conn -> repository
                        .lockPrompt(conn, id)
                        .onItem()
                        .ifNull()
                        .failWith(() -> new PromptNotFoundException(id))
                        .invoke(locked -> {
                            if (locked.deleted()) {
                                throw new PromptNotFoundException(id);
                            }
                        })
                        .chain(locked -> repository.findLatestVersion(conn, id).chain(latest -> {
                            Prompt current = locked.prompt();
                            String content = change.content() != null ? change.content() : latest.content();
                            PromptTemplate template = PromptTemplates.parseDeclared(content, change.variables());
                            Map<String, Object> modelConfig = change.modelConfig() != null
                                    ? modelConfig(change.modelConfig())
                                    : latest.modelConfig();
                            boolean newVersion =
                                    !contentHash(content, modelConfig).equals(latest.contentHash());
                            Prompt updated = new Prompt(
                                    id,
                                    Objects.requireNonNullElse(change.name(), current.name()),
                                    Objects.requireNonNullElse(change.type(), current.type()),
                                    Objects.requireNonNullElse(change.active(), current.active()),
                                    Objects.requireNonNullElse(change.isDefault(), current.isDefault()),
                                    Prompt.SOURCE_API,
                                    current.createdAt(),
                                    current.updatedAt());
                            boolean flagsChanged = !sameFlags(current, updated);
                            if (!newVersion && !flagsChanged) {
                                return details(conn, current).map(d -> new Change(d, List.of()));
                            }
                            Uni<Integer> version = newVersion
                                    ? writeVersion(
                                            conn,
                                            id,
                                            latest,
                                            template,
                                            modelConfig,
                                            change.semver(),
                                            change.author() == null ? "api" : change.author(),
                                            change.message(),
                                            labels)
                                    : Uni.createFrom().item(latest.version());
                            return repository
                                    .updatePrompt(conn, updated)
                                    .chain(() -> version)
                                    .chain(v -> details(conn, id)
                                            .map(d -> new Change(
                                                    d, List.of(PromptEvent.of(PromptEvent.UPDATED, id, v, null)))));
                        })))
                .call(change1 -> events.publishAll(change1.events()))
                .invoke(change1 -> {
                    if (!change1.events().isEmpty()) {
                        LOG.infof(
                                "Updated prompt %s (latest version %d)",
                                id, change1.details().latest().version());
                    }
                })
                .map(Change::details);
    }

    /**
     * Deletes a prompt (soft: history kept; the importer will not bring it back). Unless {@code force}, refuses
     * while an {@code active} agent in agent-registry-service has it as {@code prompt_id}, so a live agent never
     * loses its system prompt by accident.
     *
     * @throws PromptNotFoundException      unknown or already deleted prompt
     * @throws PromptInUseException         active agents use it and {@code force} is false
     * @throws RegistryUnavailableException the registry could not be asked and {@code force} is false
     */
    public Uni<Void> deletePrompt(String id, boolean force) {
        Uni<Void> check = force
                ? Uni.createFrom().voidItem()
                : findPromptDetails(id)
                        .chain(() -> registry.activeAgentsUsing(id))
                        .invoke(agents -> {
                            if (!agents.isEmpty()) {
                                throw new PromptInUseException(id, agents);
                            }
                        })
                        .replaceWithVoid();
        return check.chain(() -> pool.withTransaction(conn -> repository.deletePrompt(conn, id)))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw new PromptNotFoundException(id);
                    }
                })
                .call(() -> events.publish(PromptEvent.of(PromptEvent.DELETED, id, null, null)))
                .invoke(() -> LOG.infof("Deleted prompt %s%s", id, force ? " (forced)" : ""))
                .replaceWithVoid();
    }

    /**
     * The prompts as they serve, for {@code GET /admin/prompts/export}: each undeleted prompt at the version its
     * {@code production} label points at (the newest version when it has no such label), by id.
     */
    public Uni<List<ResolvedPrompt>> exportPrompts() {
        return listPrompts(null)
                .onItem()
                .transformToMulti(all -> Multi.createFrom().iterable(all))
                .onItem()
                .transformToUniAndConcatenate(details -> {
                    Integer production = details.labels().get("production");
                    return production == null
                            ? Uni.createFrom().item(new ResolvedPrompt(details.prompt(), details.latest(), null))
                            : findPrompt(details.prompt().id(), null, production);
                })
                .collect()
                .asList();
    }

    /**
     * Points {@code label} at {@code version} (promote or roll back). A no-op move sends no event.
     *
     * @throws InvalidLabelException    the label is {@code latest}
     * @throws PromptNotFoundException  unknown or deleted prompt
     * @throws VersionNotFoundException no such version
     */
    public Uni<LabelMove> moveLabel(String id, String label, int version) {
        if (LATEST.equals(label)) {
            return Uni.createFrom().failure(new InvalidLabelException(label));
        }
        return pool.withTransaction(conn -> repository
                        .lockPrompt(conn, id)
                        .invoke(locked -> {
                            if (locked == null || locked.deleted()) {
                                throw new PromptNotFoundException(id);
                            }
                        })
                        .chain(() -> repository.findVersion(conn, id, version))
                        .onItem()
                        .ifNull()
                        .failWith(() -> new VersionNotFoundException(id, version))
                        .chain(() -> repository.findLabel(conn, id, label))
                        .chain(previous -> Objects.equals(previous, version)
                                ? Uni.createFrom().item(new LabelMove(id, label, version, previous))
                                : repository
                                        .upsertLabel(conn, id, label, version)
                                        .chain(() -> repository.touchPrompt(conn, id))
                                        .replaceWith(new LabelMove(id, label, version, previous))))
                .call(move -> Objects.equals(move.previousVersion(), move.version())
                        ? Uni.createFrom().voidItem()
                        : events.publish(PromptEvent.of(PromptEvent.LABEL_MOVED, id, version, label))
                                .invoke(() -> LOG.infof(
                                        "Moved label %s of prompt %s from %s to version %d",
                                        label, id, move.previousVersion(), version)));
    }

    /**
     * Imports one YAML prompt ({@code source=seed}). New → version 1 with {@code labels}; same content →
     * nothing (flags refreshed if they differ); changed content of a seed-managed prompt → a new version
     * with {@code labels} moved to it; API-managed or deleted prompts are skipped. Safe to run
     * concurrently from several replicas (insert-if-absent, then a row lock).
     *
     * @throws dev.switchboard.prompts.InvalidTemplateException bad placeholders or declared variables
     */
    public Uni<ImportOutcome> importPrompt(PromptDefinition definition, List<String> labels) {
        PromptTemplate template;
        try {
            template = PromptTemplates.parseDeclared(definition.content(), definition.variables());
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
        Prompt prompt = toPrompt(definition, Prompt.SOURCE_SEED);
        Map<String, Object> modelConfig = modelConfig(definition.modelConfig());
        String id = definition.id();
        String message = "Imported from YAML" + (definition.semver() == null ? "" : " " + definition.semver());
        return pool.withTransaction(conn -> repository
                        .insertPrompt(conn, prompt)
                        .chain(inserted -> repository.lockPrompt(conn, id).chain(locked -> {
                            if (!inserted
                                    && (locked.deleted()
                                            || Prompt.SOURCE_API.equals(
                                                    locked.prompt().source()))) {
                                return Uni.createFrom().item(new ImportResult(ImportOutcome.SKIPPED, List.of()));
                            }
                            return repository.findLatestVersion(conn, id).chain(latest -> {
                                boolean newVersion = latest == null
                                        || !contentHash(template.content(), modelConfig)
                                                .equals(latest.contentHash());
                                boolean flagsChanged = !inserted && !sameFlags(locked.prompt(), prompt);
                                if (!newVersion && !flagsChanged) {
                                    return Uni.createFrom().item(new ImportResult(ImportOutcome.UNCHANGED, List.of()));
                                }
                                Uni<Integer> version = newVersion
                                        ? writeVersion(
                                                conn,
                                                id,
                                                latest,
                                                template,
                                                modelConfig,
                                                definition.semver(),
                                                IMPORT_AUTHOR,
                                                message,
                                                labels)
                                        : Uni.createFrom().item(latest.version());
                                Uni<Void> flags = flagsChanged
                                        ? repository.updatePrompt(conn, prompt)
                                        : Uni.createFrom().voidItem();
                                return flags.chain(() -> version)
                                        .map(v -> inserted
                                                ? new ImportResult(
                                                        ImportOutcome.CREATED,
                                                        List.of(PromptEvent.of(PromptEvent.CREATED, id, v, null)))
                                                : new ImportResult(
                                                        ImportOutcome.UPDATED,
                                                        List.of(PromptEvent.of(PromptEvent.UPDATED, id, v, null))));
                            });
                        })))
                .call(result -> events.publishAll(result.events()))
                .invoke(result -> metrics.counter(
                                "prompts.imports",
                                "outcome",
                                result.outcome().name().toLowerCase())
                        .increment())
                .map(ImportResult::outcome);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Inserts the next version after {@code latest} (or 1) and points {@code labels} at it. */
    private Uni<Integer> writeVersion(
            SqlClient conn,
            String id,
            PromptVersion latest,
            PromptTemplate template,
            Map<String, Object> modelConfig,
            String semver,
            String author,
            String message,
            List<String> labels) {
        if (latest != null && latest.contentHash().equals(contentHash(template.content(), modelConfig))) {
            // re-created after a delete with the same content: reuse the version, just move the labels
            return moveLabels(conn, id, labels, latest.version()).replaceWith(latest.version());
        }
        int next = latest == null ? 1 : latest.version() + 1;
        PromptVersion version = new PromptVersion(
                id,
                next,
                template.content(),
                template.variables(),
                modelConfig,
                semver,
                contentHash(template.content(), modelConfig),
                author,
                message,
                null);
        return repository
                .insertVersion(conn, version)
                .chain(() -> moveLabels(conn, id, labels, next))
                .replaceWith(next);
    }

    private Uni<Void> moveLabels(SqlClient conn, String id, List<String> labels, int version) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String label : labels) {
            chain = chain.chain(() -> repository.upsertLabel(conn, id, label, version));
        }
        return chain;
    }

    private Uni<PromptVersion> resolveVersion(SqlClient client, String id, String label, Integer version) {
        if (version != null) {
            return repository
                    .findVersion(client, id, version)
                    .onItem()
                    .ifNull()
                    .failWith(() -> new VersionNotFoundException(id, version));
        }
        String effective = labelOrDefault(label);
        if (LATEST.equals(effective)) {
            return repository
                    .findLatestVersion(client, id)
                    .onItem()
                    .ifNull()
                    .failWith(() -> new LabelNotFoundException(id, effective));
        }
        return repository
                .findLabel(client, id, effective)
                .onItem()
                .ifNull()
                .failWith(() -> new LabelNotFoundException(id, effective))
                .chain(v -> repository.findVersion(client, id, v));
    }

    private Uni<PromptDetails> details(SqlClient client, String id) {
        return repository
                .findPrompt(client, id)
                .onItem()
                .ifNull()
                .failWith(() -> new PromptNotFoundException(id))
                .chain(prompt -> details(client, prompt));
    }

    private Uni<PromptDetails> details(SqlClient client, Prompt prompt) {
        return repository
                .findLatestVersion(client, prompt.id())
                .chain(latest -> repository
                        .findLabels(client, prompt.id())
                        .map(labels -> new PromptDetails(prompt, latest, labels)));
    }

    private static String labelOrDefault(String label) {
        return label == null || label.isBlank() ? DEFAULT_LABEL : label;
    }

    private static boolean sameFlags(Prompt a, Prompt b) {
        return a.name().equals(b.name())
                && a.type().equals(b.type())
                && a.active() == b.active()
                && a.isDefault() == b.isDefault();
    }

    private static Prompt toPrompt(PromptDefinition d, String source) {
        String name = d.name() == null || d.name().isBlank() ? d.id() : d.name();
        return new Prompt(d.id(), name, d.type(), d.active(), d.isDefault(), source, null, null);
    }

    private static Map<String, Object> modelConfig(Map<String, Object> config) {
        return config == null ? Map.of() : new TreeMap<>(config);
    }

    /** SHA-256 (hex) of the content, a zero byte and the canonical (key-sorted) JSON of the model config. */
    static String contentHash(String content, Map<String, Object> modelConfig) {
        try {
            // the zero byte keeps content and config apart, so no content/config pair hashes like another
            return Sha256.hex(
                    content.getBytes(StandardCharsets.UTF_8),
                    new byte[] {0},
                    CANONICAL.writeValueAsBytes(modelConfig == null ? Map.of() : modelConfig));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot hash prompt content", e);
        }
    }

    /**
     * A prompt resolved and rendered.
     *
     * @param resolved the prompt and version used
     * @param content  the rendered text
     */
    public record RenderedPrompt(ResolvedPrompt resolved, String content) {}

    /**
     * A prompt's full history.
     *
     * @param prompt   the prompt
     * @param versions every version, newest first
     * @param labels   label name to version
     */
    public record PromptHistory(Prompt prompt, List<PromptVersion> versions, Map<String, Integer> labels) {}

    private record Change(PromptDetails details, List<PromptEvent> events) {}

    private record ImportResult(ImportOutcome outcome, List<PromptEvent> events) {}
}
