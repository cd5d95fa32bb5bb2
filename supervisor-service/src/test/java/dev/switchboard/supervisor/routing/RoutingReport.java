package dev.switchboard.supervisor.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Prints routing quality without any LLM: accuracy on {@code shared/data/routing-dev.jsonl}, and on the public
 * CLINC150 subset the in-scope accuracy, the share of out-of-scope ({@code none}) lines that reach a
 * specialist, and per-agent confusion. Also prints the module's own validation set. Run from the repository
 * root:
 *
 * <pre>./mvnw -q -pl supervisor-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.switchboard.supervisor.routing.RoutingReport</pre>
 *
 * CLINC150 is for measurement only: nothing in the router is tuned on it.
 */
public final class RoutingReport {

    /** Label of out-of-scope lines in the CLINC150 subset. */
    static final String NONE = "none";

    private RoutingReport() {}

    /**
     * Outcome of routing a labelled set.
     *
     * @param total      lines
     * @param correct    lines routed to their label ({@code none} counts as correct on the default agent)
     * @param unsure     lines marked {@code confident=false}
     * @param confusion  expected label → routed agent → count
     */
    record Result(int total, int correct, int unsure, Map<String, Map<String, Integer>> confusion) {

        double accuracy() {
            return total == 0 ? 0 : correct / (double) total;
        }
    }

    /**
     * Routes every line and counts.
     *
     * @param index        the index to evaluate
     * @param lines        labelled lines
     * @param defaultAgent the agent a {@code none} line should reach
     * @return counts and confusion
     */
    static Result evaluate(RouterIndex index, List<RoutingData.Labelled> lines, String defaultAgent) {
        int correct = 0;
        int unsure = 0;
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        for (RoutingData.Labelled line : lines) {
            SemanticMatch m = index.match(line.text());
            String expected = NONE.equals(line.agent()) ? defaultAgent : line.agent();
            if (expected.equals(m.agent())) {
                correct++;
            }
            if (!m.confident()) {
                unsure++;
            }
            confusion
                    .computeIfAbsent(line.agent(), k -> new TreeMap<>())
                    .merge(String.valueOf(m.agent()), 1, Integer::sum);
        }
        return new Result(lines.size(), correct, unsure, confusion);
    }

    /**
     * Prints the report of every router embedding model, or of the one named by {@code args[0]} (e.g.
     * {@code all-minilm-l6-v2}), to standard output.
     *
     * @param args optional model id
     */
    public static void main(String[] args) {
        for (RouterEmbeddingModel model : RouterEmbeddingModel.values()) {
            if (args.length == 0 || model.id().equals(args[0])) {
                report(model);
            }
        }
    }

    private static void report(RouterEmbeddingModel model) {
        RouterSettings settings = RouterSettings.defaults();
        SemanticRouter router = new SemanticRouter(RouterProducers.quietEmbeddingModel(model), settings);
        RouterIndex index = router.buildIndex(RoutingData.seededAgents());
        String defaultAgent = index.defaultAgent().orElseThrow();
        System.out.printf(
                "%nSemantic router report (%s, no LLM): minSimilarity=%.2f minConfidence=%.2f%n",
                model.id(), settings.minSimilarity(), settings.minConfidence());

        Result dev = evaluate(index, RoutingData.routingDev(), defaultAgent);
        System.out.printf(
                "%nrouting-dev.jsonl: accuracy %.1f%% (%d/%d), unsure (would ask LLM) %d%n",
                100 * dev.accuracy(), dev.correct(), dev.total(), dev.unsure());
        printConfusion(dev);

        List<RoutingData.Labelled> clinc = RoutingData.clinc150();
        List<RoutingData.Labelled> inScope =
                clinc.stream().filter(l -> !NONE.equals(l.agent())).toList();
        List<RoutingData.Labelled> none =
                clinc.stream().filter(l -> NONE.equals(l.agent())).toList();
        Result in = evaluate(index, inScope, defaultAgent);
        Result out = evaluate(index, none, defaultAgent);
        int toSpecialist = out.total() - out.correct();
        System.out.printf(
                "%nclinc150 (public, measured only): in-scope accuracy %.1f%% (%d/%d), unsure %d%n",
                100 * in.accuracy(), in.correct(), in.total(), in.unsure());
        System.out.printf(
                "clinc150 none lines reaching a specialist: %.1f%% (%d/%d); unsure %d%n",
                100.0 * toSpecialist / Math.max(1, out.total()), toSpecialist, out.total(), out.unsure());
        Map<String, Map<String, Integer>> all = new TreeMap<>(in.confusion());
        all.putAll(out.confusion());
        printConfusion(new Result(clinc.size(), in.correct() + out.correct(), in.unsure() + out.unsure(), all));

        Result val = evaluate(index, RoutingData.validation(), defaultAgent);
        System.out.printf(
                "%nown validation set: accuracy %.1f%% (%d/%d), unsure %d%n",
                100 * val.accuracy(), val.correct(), val.total(), val.unsure());
    }

    private static void printConfusion(Result r) {
        TreeSet<String> columns = new TreeSet<>();
        r.confusion().values().forEach(m -> columns.addAll(m.keySet()));
        List<String> cols = new ArrayList<>(columns);
        StringBuilder head = new StringBuilder(String.format("  %-28s", "expected \\ routed"));
        cols.forEach(c -> head.append(String.format(" %14s", shortName(c))));
        System.out.println(head);
        r.confusion().forEach((expected, row) -> {
            StringBuilder line = new StringBuilder(String.format("  %-28s", expected));
            cols.forEach(c -> line.append(String.format(" %14d", row.getOrDefault(c, 0))));
            System.out.println(line);
        });
    }

    private static String shortName(String agent) {
        return agent.replace("_agent", "");
    }
}
