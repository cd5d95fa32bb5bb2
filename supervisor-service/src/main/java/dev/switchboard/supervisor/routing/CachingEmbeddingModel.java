package dev.switchboard.supervisor.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import java.util.Objects;

/**
 * An {@link EmbeddingModel} that remembers the embeddings of single texts by exact text (a bounded LRU-like
 * Caffeine cache), so a repeated chat message ("yes", "thanks", "book it", a CRM's canned replies) skips the
 * in-process model, which costs about 5 ms of CPU per message on a small box (bench/RESULTS.md). The vectors
 * are the model's own, so routing decisions do not change. Batch calls ({@link #embedAll}) go straight to the
 * model: the semantic router caches agent examples itself.
 */
public final class CachingEmbeddingModel implements EmbeddingModel {

    private final EmbeddingModel model;
    private final Cache<String, Embedding> cache;

    /**
     * Wraps a model.
     *
     * @param model      the thread-safe model to call on a miss
     * @param maxEntries most texts kept (each entry holds one vector: 384 floats for all-MiniLM-L6-v2, about
     *                   1.6 KB); must be positive
     * @throws IllegalArgumentException if {@code maxEntries} is not positive
     */
    public CachingEmbeddingModel(EmbeddingModel model, int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.model = Objects.requireNonNull(model, "model");
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).recordStats().build();
    }

    /** @return the cache, for metrics (hits, misses, evictions, size) */
    public Cache<String, Embedding> cache() {
        return cache;
    }

    @Override
    public Response<Embedding> embed(String text) {
        return Response.from(cache.get(text, t -> model.embed(t).content()));
    }

    @Override
    public Response<Embedding> embed(TextSegment textSegment) {
        return embed(textSegment.text());
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> textSegments) {
        return model.embedAll(textSegments);
    }

    @Override
    public int dimension() {
        return model.dimension();
    }
}
