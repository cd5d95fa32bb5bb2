package dev.switchboard.supervisor.routing;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.switchboard.supervisor.config.SupervisorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.logging.Logger;

/** Produces the semantic router and its in-process embedding model (all-MiniLM-L6-v2, quantized or not; ONNX, no network). */
@ApplicationScoped
public class RouterProducers {

    private static final Logger LOG = Logger.getLogger(RouterProducers.class);

    /**
     * The router's embedding model ({@code supervisor.routing.embedding-model}), loaded on first use (a worker
     * thread: loading takes about a second), behind a cache of message embeddings by exact text
     * ({@code supervisor.routing.embedding-cache-size}; 0 = none) whose hits and misses are the
     * {@code cache_gets_total{cache="router_embeddings"}} metrics.
     *
     * @return a thread-safe all-MiniLM-L6-v2 model (384 dimensions)
     */
    @Produces
    @ApplicationScoped
    @RouterEmbedding
    EmbeddingModel routerEmbeddingModel(SupervisorConfig config, MeterRegistry meters) {
        long start = System.nanoTime();
        RouterEmbeddingModel choice = config.routing().embeddingModel();
        EmbeddingModel model = quietEmbeddingModel(choice);
        LOG.infof(
                "Loaded in-process embedding model %s in %d ms", choice.id(), (System.nanoTime() - start) / 1_000_000);
        int cacheSize = config.routing().embeddingCacheSize();
        if (cacheSize <= 0) {
            return model;
        }
        CachingEmbeddingModel cached = new CachingEmbeddingModel(model, cacheSize);
        CaffeineCacheMetrics.monitor(meters, cached.cache(), "router_embeddings");
        return cached;
    }

    /**
     * {@code choice} from its langchain4j artifact, with an ONNX session tuned for a service that embeds one
     * short message per request on a small shared box: one intra-op and one inter-op thread, and no
     * spin-waiting. The default session keeps a thread pool spinning between requests, which measured as half
     * of the supervisor's CPU under load (bench/RESULTS.md); the vectors are the same (cosine 1.0).
     *
     * @throws IllegalStateException if the model's files are not on the classpath or ONNX Runtime cannot load them
     */
    public static EmbeddingModel quietEmbeddingModel(RouterEmbeddingModel choice) {
        try (InputStream onnx = RouterProducers.class.getResourceAsStream(choice.onnxResource());
                InputStream tokenizer = RouterProducers.class.getResourceAsStream(choice.tokenizerResource())) {
            if (onnx == null || tokenizer == null) {
                throw new IllegalStateException(choice.id() + " model files are missing from the classpath");
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            OrtSession session = environment.createSession(onnx.readAllBytes(), options);
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            return new AbstractInProcessEmbeddingModel(null) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return encoder;
                }
            };
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("Cannot load the " + choice.id() + " embedding model", e);
        }
    }

    /**
     * The semantic router with the thresholds of {@code supervisor.routing.*}; agent texts embedded once across
     * replicas through Redis unless {@code supervisor.routing.shared-embeddings} is off.
     *
     * @return a thread-safe router; {@link SemanticRouter#buildIndex} blocks
     */
    @Produces
    @Singleton
    SemanticRouter semanticRouter(
            @RouterEmbedding EmbeddingModel model, SupervisorConfig config, RedisDataSource redis) {
        return new SemanticRouter(
                model,
                new RouterSettings(
                        config.routing().minSimilarity(), config.routing().minConfidence()),
                config.routing().sharedEmbeddings()
                        ? new RedisSharedEmbeddings(
                                redis, config.routing().embeddingModel().id())
                        : SharedEmbeddings.NONE);
    }
}
