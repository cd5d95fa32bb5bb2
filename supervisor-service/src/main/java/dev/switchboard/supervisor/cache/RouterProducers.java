package dev.switchboard.supervisor.cache;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.routing.RouterSettings;
import dev.switchboard.supervisor.routing.SemanticRouter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Produces the semantic router and its in-process embedding model (all-MiniLM-L6-v2, ONNX, no network). */
@ApplicationScoped
public class RouterProducers {

    private static final Logger LOG = Logger.getLogger(RouterProducers.class);

    /**
     * The router's embedding model, loaded on first use (a worker thread: loading takes about a second).
     *
     * @return a thread-safe all-MiniLM-L6-v2 model (384 dimensions)
     */
    @Produces
    @ApplicationScoped
    @RouterEmbedding
    EmbeddingModel routerEmbeddingModel() {
        long start = System.nanoTime();
        EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        LOG.infof("Loaded in-process embedding model all-MiniLM-L6-v2 in %d ms", (System.nanoTime() - start) / 1_000_000);
        return model;
    }

    /**
     * The semantic router with the thresholds of {@code supervisor.routing.*}.
     *
     * @return a thread-safe router; {@link SemanticRouter#buildIndex} blocks
     */
    @Produces
    @Singleton
    SemanticRouter semanticRouter(@RouterEmbedding EmbeddingModel model, SupervisorConfig config) {
        return new SemanticRouter(model,
                new RouterSettings(config.routing().minSimilarity(), config.routing().minConfidence()));
    }
}
