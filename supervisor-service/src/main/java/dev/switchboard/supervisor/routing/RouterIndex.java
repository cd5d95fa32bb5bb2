package dev.switchboard.supervisor.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An immutable snapshot of the agents the semantic router chooses between, with their example embeddings
 * and the trained head. Thread-safe; build a new one (with {@link SemanticRouter#buildIndex(List)}) when
 * agents change.
 *
 * <p>Decision for a message: the head gives a probability per agent; the best agent wins unless the
 * message's highest cosine similarity to that agent's examples and description is below
 * {@link RouterSettings#minSimilarity()}, in which case it goes to the default agent (when there is one)
 * with {@code confident=false}. A winner whose probability is below {@link RouterSettings#minConfidence()}
 * is kept but marked {@code confident=false}.
 */
public final class RouterIndex {

    private final Function<String, double[]> embedder;
    private final RouterSettings settings;
    private final List<String> names;
    private final int defaultIndex;
    private final SoftmaxHead head; // null for one agent, or more than SemanticRouter.MAX_HEAD_AGENTS
    private final double[][][] vectors; // [agent][text][dim], unit vectors

    RouterIndex(
            Function<String, double[]> embedder,
            RouterSettings settings,
            List<String> names,
            int defaultIndex,
            SoftmaxHead head,
            double[][][] vectors) {
        this.embedder = embedder;
        this.settings = settings;
        this.names = List.copyOf(names);
        this.defaultIndex = defaultIndex;
        this.head = head;
        this.vectors = vectors;
    }

    /**
     * Routes one message. Blocking: embeds the message (a few milliseconds in-process).
     *
     * @param message the user's message; blank or {@code null} goes to the default agent (or the first agent)
     *                with {@code confident=false} and equal scores
     * @return the decision; agent {@code null} and no candidates when the index has no agents
     * @throws RuntimeException whatever the embedding model throws
     */
    public SemanticMatch match(String message) {
        if (names.isEmpty()) {
            return new SemanticMatch(null, 0.0, false, List.of());
        }
        if (message == null || message.isBlank()) {
            double[] uniform = new double[names.size()];
            java.util.Arrays.fill(uniform, 1.0 / names.size());
            int fallback = Math.max(defaultIndex, 0);
            List<RoutingCandidate> ranked = rank(uniform, fallback);
            return new SemanticMatch(names.get(fallback), uniform[fallback], false, ranked);
        }
        double[] vector = embedder.apply(message);
        if (head == null) {
            return decide(score(vector), settings);
        }
        // With a head only the winner's similarity is read (the gate), so only its examples are compared: a quarter
        // of the multiply-adds with the four seeded agents, the same decision as score() would give.
        double[] prob = head.predict(vector);
        int best = best(prob);
        double[] sim = new double[names.size()];
        java.util.Arrays.fill(sim, Double.NaN);
        sim[best] = maxSimilarity(best, vector);
        return decide(new Scores(prob, sim), settings);
    }

    /**
     * The agent names, in the order the profiles were given.
     *
     * @return an unmodifiable list, empty for an empty index
     */
    public List<String> agentNames() {
        return names;
    }

    /** @return whether this index decides with a trained head (else by similarity alone) */
    public boolean hasHead() {
        return head != null;
    }

    /**
     * The default agent (first profile marked default), if any.
     *
     * @return the default agent's name, or empty when no profile is marked default
     */
    public Optional<String> defaultAgent() {
        return defaultIndex < 0 ? Optional.empty() : Optional.of(names.get(defaultIndex));
    }

    /**
     * Head probabilities and max cosine similarity per agent for a unit message vector. Without a head (one agent,
     * or more than {@link SemanticRouter#MAX_HEAD_AGENTS}) the probabilities are a softmax of the similarities at
     * temperature {@link #SIMILARITY_TEMPERATURE}.
     */
    Scores score(double[] vector) {
        double[] sim = new double[names.size()];
        for (int a = 0; a < names.size(); a++) {
            sim[a] = maxSimilarity(a, vector);
        }
        double[] prob = head != null ? head.predict(vector) : softmax(sim, SIMILARITY_TEMPERATURE);
        return new Scores(prob, sim);
    }

    /** Temperature of the similarity softmax used without a head: 0.05 makes a 0.1 similarity lead ~88 % vs 12 %. */
    static final double SIMILARITY_TEMPERATURE = 0.05;

    private static double[] softmax(double[] values, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double[] out = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.exp((values[i] - max) / temperature);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** Highest cosine similarity of a unit vector to agent {@code a}'s examples and description. */
    private double maxSimilarity(int a, double[] vector) {
        double best = -1;
        for (double[] v : vectors[a]) {
            best = Math.max(best, dot(vector, v));
        }
        return best;
    }

    /** Index of the highest probability; the first one on ties (profile order). */
    private static int best(double[] prob) {
        int best = 0;
        for (int a = 1; a < prob.length; a++) {
            if (prob[a] > prob[best]) {
                best = a;
            }
        }
        return best;
    }

    /**
     * Applies the gate and the confidence threshold of {@code s} to precomputed scores; reads only the similarity of
     * the most probable agent.
     */
    SemanticMatch decide(Scores scores, RouterSettings s) {
        double[] prob = scores.probabilities();
        int best = best(prob);
        List<RoutingCandidate> ranked = rank(prob, best);
        boolean gatePassed = scores.similarities()[best] >= s.minSimilarity();
        if (!gatePassed && defaultIndex >= 0 && best != defaultIndex) {
            return new SemanticMatch(names.get(defaultIndex), prob[defaultIndex], false, ranked);
        }
        boolean confident = gatePassed && prob[best] >= s.minConfidence();
        return new SemanticMatch(names.get(best), prob[best], confident, ranked);
    }

    private List<RoutingCandidate> rank(double[] prob, int first) {
        List<Integer> order = new ArrayList<>();
        for (int a = 0; a < names.size(); a++) {
            order.add(a);
        }
        // Stable sort: ties keep profile order, except the given winner comes first.
        order.sort(Comparator.<Integer>comparingDouble(a -> -prob[a]).thenComparing(a -> a == first ? 0 : 1));
        List<RoutingCandidate> out = new ArrayList<>(order.size());
        for (int a : order) {
            out.add(new RoutingCandidate(names.get(a), clamp(prob[a])));
        }
        return List.copyOf(out);
    }

    private static double clamp(double p) {
        return Math.max(0.0, Math.min(1.0, p));
    }

    private static double dot(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embedding dimension " + a.length + " differs from index " + b.length);
        }
        // four independent sums: the JIT keeps them in registers and pipelines the multiplications (a single
        // running sum is a serial dependency chain); the hottest loop of routing (agents x examples x 384)
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (int n = a.length - 3; i < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Raw scores of one message.
     *
     * @param probabilities head probability per agent (profile order)
     * @param similarities  max cosine similarity per agent (profile order); NaN where {@link #match} did not need it
     */
    record Scores(double[] probabilities, double[] similarities) {}
}
