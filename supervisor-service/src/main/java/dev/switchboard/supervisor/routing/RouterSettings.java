package dev.switchboard.supervisor.routing;

/**
 * Thresholds of the semantic router.
 *
 * @param minSimilarity similarity gate: when the highest cosine similarity between the message and the
 *                      chosen specialist's examples (and description) is below this value, the message
 *                      goes to the default agent with {@code confident=false}; in [0,1]
 * @param minConfidence when the head's probability for the chosen agent is below this value, the match is
 *                      marked {@code confident=false} so the caller may ask an LLM router; in [0,1]
 */
public record RouterSettings(double minSimilarity, double minConfidence) {

    /**
     * Default similarity gate: the largest value with the best accuracy on the module's own held-out
     * validation set ({@code src/test/resources/routing/validation.jsonl}, in-scope and off-topic lines).
     */
    public static final double DEFAULT_MIN_SIMILARITY = 0.40;
    /**
     * Default confidence threshold: the lowest value whose confident decisions are at least 98% right on the
     * module's own validation set (about half of the validation lines are then left to the LLM router).
     */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.55;

    /**
     * Validates the ranges.
     *
     * @throws IllegalArgumentException if a value is outside [0,1] or not a number
     */
    public RouterSettings {
        if (!(minSimilarity >= 0 && minSimilarity <= 1)) {
            throw new IllegalArgumentException("minSimilarity must be in [0,1]: " + minSimilarity);
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("minConfidence must be in [0,1]: " + minConfidence);
        }
    }

    /**
     * The defaults tuned for all-MiniLM-L6-v2 and the seeded agents.
     *
     * @return settings with {@link #DEFAULT_MIN_SIMILARITY} and {@link #DEFAULT_MIN_CONFIDENCE}
     */
    public static RouterSettings defaults() {
        return new RouterSettings(DEFAULT_MIN_SIMILARITY, DEFAULT_MIN_CONFIDENCE);
    }
}
