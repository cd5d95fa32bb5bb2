package dev.switchboard.supervisor.routing;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Builds {@link RouterIndex}es: embeds each agent's description and examples with an in-process
 * {@link EmbeddingModel} and trains a {@link SoftmaxHead} (multinomial logistic regression) that maps a
 * message embedding to an agent.
 *
 * <p>Embeddings of descriptions and examples are cached by exact text across calls, so rebuilding after
 * one agent changed only embeds the new texts. The class is thread-safe; {@link #buildIndex(List)} blocks
 * (embedding and training take a few hundred milliseconds for ~200 texts), so call it on a worker thread.
 */
public final class SemanticRouter {

    private static final Logger LOG = Logger.getLogger(SemanticRouter.class);
    /** The cache is cleared when it would grow beyond this many texts (agents churning examples). */
    static final int MAX_CACHED_TEXTS = 50_000;
    /**
     * Most agents the trained head is used for. Full-batch training costs steps x texts x agents x 385
     * multiply-adds, which grows with the square of the agent count (44 agents: ~20 s on one core); beyond this
     * the index scores agents by their best cosine similarity instead (see {@link RouterIndex}).
     */
    static final int MAX_HEAD_AGENTS = 16;
    /** Multiply-adds one training may spend (~2-4 s on one core); fewer steps when a training would cost more. */
    static final double TRAINING_BUDGET = 2e9;
    /** Fewest gradient steps of a budget-limited training. */
    static final int MIN_TRAINING_STEPS = 100;

    /** Longest wait for a text another replica claimed, before embedding it here anyway. */
    static final long CLAIM_WAIT_NANOS = 2_000_000_000L;
    /** Texts embedded between two stores to the shared embeddings. */
    static final int SHARE_CHUNK = 4;
    /** Pause between looks for a text another replica claimed. */
    static final long CLAIM_POLL_MILLIS = 5;

    private final EmbeddingModel model;
    private final SharedEmbeddings shared;
    private final RouterSettings settings;
    private final double l2;
    private final int iterations;
    private final Map<String, double[]> cache = new ConcurrentHashMap<>();

    /**
     * Creates a router.
     *
     * @param model    the embedding model (e.g. in-process all-MiniLM-L6-v2); must be thread-safe
     * @param settings similarity and confidence thresholds
     * @throws NullPointerException if an argument is null
     */
    public SemanticRouter(EmbeddingModel model, RouterSettings settings) {
        this(model, settings, SharedEmbeddings.NONE);
    }

    /**
     * Creates a router whose agent texts are embedded once across replicas through {@code shared}.
     *
     * @param model    the embedding model (e.g. in-process all-MiniLM-L6-v2); must be thread-safe
     * @param settings similarity and confidence thresholds
     * @param shared   the replicas' shared embeddings of agent texts, or {@link SharedEmbeddings#NONE}
     * @throws NullPointerException if an argument is null
     */
    public SemanticRouter(EmbeddingModel model, RouterSettings settings, SharedEmbeddings shared) {
        this(model, settings, shared, SoftmaxHead.DEFAULT_L2, SoftmaxHead.DEFAULT_ITERATIONS);
    }

    /** Creates a router with explicit head hyper-parameters (tests and tuning). */
    SemanticRouter(EmbeddingModel model, RouterSettings settings, double l2, int iterations) {
        this(model, settings, SharedEmbeddings.NONE, l2, iterations);
    }

    private SemanticRouter(
            EmbeddingModel model, RouterSettings settings, SharedEmbeddings shared, double l2, int iterations) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.model = Objects.requireNonNull(model, "model");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.l2 = l2;
        this.iterations = iterations;
    }

    /**
     * Embeds every agent's description and examples (cached by text) and trains the routing head.
     *
     * <p>An agent without description and examples is represented by its name (underscores read as
     * spaces). When several profiles are marked default, the first one is the default agent.
     *
     * @param agents the agents to route between, in any order (candidates tie-break on this order)
     * @return an immutable index; with no agents, an index whose matches have agent {@code null}
     * @throws NullPointerException     if {@code agents} or an element is null
     * @throws IllegalArgumentException if two profiles share a name
     * @throws RuntimeException         whatever the embedding model throws
     */
    public RouterIndex buildIndex(List<AgentProfile> agents) {
        return buildIndex(agents, true);
    }

    /**
     * Like {@link #buildIndex(List)}, optionally without training the head: the index then scores agents by their
     * best cosine similarity (as beyond {@link #MAX_HEAD_AGENTS} agents), which costs only the embedding of texts not
     * seen before. Callers use it to make a changed agent set routable at once and train the head in the background.
     *
     * @param agents    the agents to route between
     * @param trainHead whether to train the head (when {@link #trainsHead(int)} says it is used)
     * @return an immutable index
     */
    public RouterIndex buildIndex(List<AgentProfile> agents, boolean trainHead) {
        return buildIndex(agents, trainHead, () -> false);
    }

    /**
     * Like {@link #buildIndex(List)} (head included), giving up as soon as {@code cancelled} turns true: for a
     * background training that a newer set of agents makes useless.
     *
     * @throws java.util.concurrent.CancellationException when cancelled during the training
     */
    public RouterIndex buildIndex(List<AgentProfile> agents, java.util.function.BooleanSupplier cancelled) {
        return buildIndex(agents, true, cancelled);
    }

    private RouterIndex buildIndex(
            List<AgentProfile> agents, boolean trainHead, java.util.function.BooleanSupplier cancelled) {
        Objects.requireNonNull(agents, "agents");
        long start = System.nanoTime();
        List<String> names = new ArrayList<>(agents.size());
        Set<String> seen = new HashSet<>();
        int defaultIndex = -1;
        List<List<String>> texts = new ArrayList<>(agents.size());
        for (AgentProfile agent : agents) {
            Objects.requireNonNull(agent, "agent profile");
            if (!seen.add(agent.name())) {
                throw new IllegalArgumentException("duplicate agent name: " + agent.name());
            }
            if (agent.isDefault() && defaultIndex < 0) {
                defaultIndex = names.size();
            }
            names.add(agent.name());
            Set<String> own = new LinkedHashSet<>();
            if (agent.description() != null && !agent.description().isBlank()) {
                own.add(agent.description().strip());
            }
            agent.examples().forEach(e -> own.add(e.strip()));
            if (own.isEmpty()) {
                own.add(agent.name().replace('_', ' '));
            }
            texts.add(List.copyOf(own));
        }
        if (names.isEmpty()) {
            return new RouterIndex(this::embedMessage, settings, List.of(), -1, null, new double[0][][]);
        }
        embedMissing(texts.stream().flatMap(List::stream).distinct().toList());

        double[][][] vectors = new double[names.size()][][];
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int a = 0; a < names.size(); a++) {
            List<String> own = texts.get(a);
            vectors[a] = new double[own.size()][];
            for (int i = 0; i < own.size(); i++) {
                double[] v = cache.get(own.get(i));
                if (v == null) { // evicted concurrently: embed again
                    v = embedMessage(own.get(i));
                }
                vectors[a][i] = v;
                x.add(v);
                y.add(a);
            }
        }
        SoftmaxHead head = null;
        int steps = 0;
        if (trainHead && trainsHead(names.size())) {
            steps = trainingSteps(x.size(), names.size(), x.get(0).length, iterations);
            head = SoftmaxHead.train(
                    x.toArray(double[][]::new),
                    y.stream().mapToInt(Integer::intValue).toArray(),
                    names.size(),
                    l2,
                    steps,
                    cancelled);
        }
        LOG.logf(
                head != null ? org.jboss.logging.Logger.Level.INFO : org.jboss.logging.Logger.Level.DEBUG,
                "Semantic router index built: %d agents, %d texts, default=%s, %s, %d ms",
                names.size(),
                x.size(),
                defaultIndex < 0 ? "none" : names.get(defaultIndex),
                head != null
                        ? "head trained in " + steps + " steps"
                        : trainsHead(names.size())
                                ? "similarity scores (head not trained yet)"
                                : names.size() > 1
                                        ? "similarity scores (more than " + MAX_HEAD_AGENTS + " agents)"
                                        : "one agent",
                (System.nanoTime() - start) / 1_000_000);
        return new RouterIndex(this::embedMessage, settings, names, defaultIndex, head, vectors);
    }

    /** @return whether an index over {@code agents} agents uses a trained head (2 to {@link #MAX_HEAD_AGENTS}) */
    public static boolean trainsHead(int agents) {
        return agents > 1 && agents <= MAX_HEAD_AGENTS;
    }

    /**
     * Gradient steps for a training of {@code texts} x {@code agents} within {@link #TRAINING_BUDGET}: the requested
     * number when it fits (the four seeded agents: 1500 steps), else fewer, but at least {@link #MIN_TRAINING_STEPS}.
     */
    static int trainingSteps(int texts, int agents, int dimension, int requested) {
        double perStep = (double) texts * agents * (dimension + 1);
        int affordable = (int) Math.min(Integer.MAX_VALUE, TRAINING_BUDGET / Math.max(1.0, perStep));
        return Math.min(requested, Math.max(MIN_TRAINING_STEPS, affordable));
    }

    /** The thresholds this router gives its indexes. */
    RouterSettings settings() {
        return settings;
    }

    /** Number of cached text embeddings (tests). */
    int cachedTexts() {
        return cache.size();
    }

    /**
     * Puts the embedding of every text not cached yet into the cache: from the replicas' shared embeddings when
     * another replica already stored it; else embedded here when this replica wins the claim (and shared), or
     * awaited from the replica that won it (at most {@link #CLAIM_WAIT_NANOS}, then embedded here anyway).
     */
    private void embedMissing(List<String> texts) {
        List<String> missing = texts.stream().filter(t -> !cache.containsKey(t)).toList();
        if (missing.isEmpty()) {
            return;
        }
        missing = cacheFound(missing);
        if (missing.isEmpty()) {
            return;
        }
        List<String> won = shared.claim(missing);
        for (int i = 0; i < won.size(); i += SHARE_CHUNK) { // shared chunk by chunk: waiting replicas go on sooner
            shared.store(embedAndCache(won.subList(i, Math.min(won.size(), i + SHARE_CHUNK))));
        }
        Set<String> wonSet = new HashSet<>(won);
        List<String> others = missing.stream().filter(t -> !wonSet.contains(t)).toList();
        long deadline = System.nanoTime() + CLAIM_WAIT_NANOS;
        while (!others.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(CLAIM_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            others = cacheFound(others);
        }
        if (!others.isEmpty()) {
            shared.store(embedAndCache(others));
        }
    }

    /** Caches what the shared embeddings hold of {@code texts}; returns the texts still missing. */
    private List<String> cacheFound(List<String> texts) {
        Map<String, double[]> found = shared.find(texts);
        if (found.isEmpty()) {
            return texts;
        }
        cacheAll(found);
        return texts.stream().filter(t -> !found.containsKey(t)).toList();
    }

    private Map<String, double[]> embedAndCache(List<String> texts) {
        List<Embedding> embeddings =
                model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        if (embeddings == null || embeddings.size() != texts.size()) {
            throw new IllegalStateException("embedding model returned " + (embeddings == null ? 0 : embeddings.size())
                    + " embeddings for " + texts.size() + " texts");
        }
        Map<String, double[]> vectors = new java.util.HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            vectors.put(texts.get(i), normalise(embeddings.get(i).vector()));
        }
        cacheAll(vectors);
        return vectors;
    }

    private void cacheAll(Map<String, double[]> vectors) {
        if (cache.size() + vectors.size() > MAX_CACHED_TEXTS) {
            cache.clear();
        }
        cache.putAll(vectors);
    }

    /** Embeds one text without caching; returns a unit vector. */
    double[] embedMessage(String text) {
        Embedding e = model.embed(text).content();
        return normalise(Optional.ofNullable(e)
                .orElseThrow(() -> new IllegalStateException("no embedding"))
                .vector());
    }

    /** Copies a float vector to a unit-length double vector (a zero vector stays zero). */
    static double[] normalise(float[] v) {
        double[] d = new double[v.length];
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
            s += d[i] * d[i];
        }
        double norm = Math.sqrt(s);
        if (norm > 0) {
            for (int i = 0; i < d.length; i++) {
                d[i] /= norm;
            }
        }
        return d;
    }
}
