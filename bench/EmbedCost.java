import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cost of the semantic router's embedding step in isolation: the supervisor's own all-MiniLM-L6-v2 model
 * (langchain4j in-process ONNX, default settings, as {@code RouterProducers} builds it) embedding distinct chat
 * messages, one caller and then several concurrent callers. Prints wall-clock latency percentiles per message and
 * the process CPU time per message (ONNX runtime's own threads included). Then the same model with an ONNX
 * session tuned for a small shared box: one intra-op thread, no spin-waiting
 * ({@code session.intra_op.allow_spinning=0}), and the quantized model (all-minilm-l6-v2-q) in the same session.
 *
 * <p>Run (bench/run.sh has copied the supervisor's jars to bench/.run/apps):
 * {@code java -cp 'bench/.run/apps/supervisor-service/lib/main/*' bench/EmbedCost.java [messages] [callers]}
 */
public final class EmbedCost {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String[] base = { "Am I free on %d at 3pm?", "Book me a haircut on day %d", "How much for a team of %d people?",
                "Hi there, I'm user %d", "Please reschedule my consultation to the %dth at noon",
                "We have a budget for about %d licenses, can you send a quote?" };
        EmbeddingModel standard = new AllMiniLmL6V2EmbeddingModel();
        EmbeddingModel tuned = tuned("all-minilm-l6-v2");
        float[] x = standard.embed("Book me a haircut on Friday at 3pm").content().vector();
        float[] y = tuned.embed("Book me a haircut on Friday at 3pm").content().vector();
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        System.out.printf("cosine(default, tuned) of the same text = %.6f (same model, same vectors)%n",
                dot / Math.sqrt(nx * ny));
        System.out.println("default AllMiniLmL6V2EmbeddingModel (as the supervisor builds it):");
        measure(standard, base, n, callers);
        System.out.println("same model, ONNX session with intraOpNumThreads=1 and allow_spinning=0:");
        measure(tuned, base, n, callers);
        System.out.println("quantized model all-minilm-l6-v2-q (the supervisor's default since ROUTER_EMBEDDING_MODEL),"
                + " same tuned session:");
        measure(tuned("all-minilm-l6-v2-q"), base, n, callers);
    }

    private static void measure(EmbeddingModel model, String[] base, int n, int callers) throws Exception {
        for (int i = 0; i < 300; i++) { // warm-up (JIT, ONNX runtime)
            model.embed(base[i % base.length].formatted(100_000 + i));
        }
        run(model, base, n, 1);
        run(model, base, n, callers);
    }

    private static EmbeddingModel tuned(String model) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        byte[] onnx;
        try (var in = AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream("/" + model + ".onnx")) {
            onnx = in.readAllBytes();
        }
        OrtSession session = env.createSession(onnx, options);
        OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(env, session,
                AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream("/" + model + "-tokenizer.json"), PoolingMode.MEAN);
        return new AbstractInProcessEmbeddingModel(null) {
            @Override
            protected OnnxBertBiEncoder model() {
                return encoder;
            }
        };
    }

    private static void run(EmbeddingModel model, String[] base, int n, int callers) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            futures.add(pool.submit(() -> {
                long[] lat = new long[n / callers];
                for (int i = 0; i < lat.length; i++) {
                    long s = System.nanoTime();
                    model.embed(base[i % base.length].formatted(caller * 1_000_000 + i));
                    lat[i] = System.nanoTime() - s;
                }
                return lat;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("callers=%d messages=%d  latency ms p50=%.2f p90=%.2f p99=%.2f  throughput=%.0f/s  "
                + "process CPU per message=%.2f ms%n", callers, sorted.length, sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.9)] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted.length / (wall / 1e9), cpu / 1e6 / sorted.length);
        Arrays.fill(sorted, 0);
    }
}
