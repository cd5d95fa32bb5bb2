package dev.switchboard.supervisor.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Routing quality of the seeded agents with the real in-process embedding models (every
 * {@link RouterEmbeddingModel} a user can choose) and no LLM, measured on messages the router has never seen.
 */
class RoutingQualityTest {

    private static List<AgentProfile> agents;
    private static final Map<RouterEmbeddingModel, RouterIndex> INDEXES = new EnumMap<>(RouterEmbeddingModel.class);

    private static final String NO_SHARED_DATA = "skipped: the shared evaluation sets are absent ("
            + RoutingData.sharedData() + "); the floors on the module's own validation set still run";

    @BeforeAll
    static void buildIndexes() {
        if (!RoutingData.sharedDataPresent()) {
            System.out.println("RoutingQualityTest: routing-dev and CLINC150 evaluation " + NO_SHARED_DATA);
        }
        agents = RoutingData.seededAgents();
        // Each model exactly as the service builds it (tuned ONNX session), so the score is the service's score.
        for (RouterEmbeddingModel model : RouterEmbeddingModel.values()) {
            INDEXES.put(
                    model,
                    new SemanticRouter(RouterProducers.quietEmbeddingModel(model), RouterSettings.defaults())
                            .buildIndex(agents));
        }
    }

    @Test
    void serviceEmbeddingModelsGiveTheSameVectorsAsTheLibraryModels() {
        String text = "Can I move my Thursday appointment to next week?";
        assertEquals(
                1.0,
                cosine(
                        new AllMiniLmL6V2EmbeddingModel().embed(text).content().vector(),
                        RouterProducers.quietEmbeddingModel(RouterEmbeddingModel.ALL_MINILM_L6_V2)
                                .embed(text)
                                .content()
                                .vector()),
                1e-5);
        assertEquals(
                1.0,
                cosine(
                        new AllMiniLmL6V2QuantizedEmbeddingModel()
                                .embed(text)
                                .content()
                                .vector(),
                        RouterProducers.quietEmbeddingModel(RouterEmbeddingModel.ALL_MINILM_L6_V2_Q)
                                .embed(text)
                                .content()
                                .vector()),
                1e-5);
    }

    @Test
    void quantizedModelStaysCloseToTheFullModel() {
        EmbeddingModel full = RouterProducers.quietEmbeddingModel(RouterEmbeddingModel.ALL_MINILM_L6_V2);
        EmbeddingModel quantized = RouterProducers.quietEmbeddingModel(RouterEmbeddingModel.ALL_MINILM_L6_V2_Q);
        for (RoutingData.Labelled line : RoutingData.validation()) {
            double cosine = cosine(
                    full.embed(line.text()).content().vector(),
                    quantized.embed(line.text()).content().vector());
            assertTrue(cosine > 0.95, line.text() + ": " + cosine);
        }
    }

    private static double cosine(float[] x, float[] y) {
        assertEquals(x.length, y.length);
        double dot = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            a += x[i] * x[i];
            b += y[i] * y[i];
        }
        return dot / Math.sqrt(a * b);
    }

    private static Set<String> normalised(Stream<String> texts) {
        return texts.map(RoutingData::normalise).collect(Collectors.toSet());
    }

    @Test
    void seededAgentsHaveEnoughExamplesAndOneDefault() {
        RouterIndex index = INDEXES.get(RouterEmbeddingModel.ALL_MINILM_L6_V2_Q);
        assertEquals(
                Set.of(
                        "calendar_checker_agent",
                        "appointment_booking_agent",
                        "lead_qualification_agent",
                        "general_assistant_agent"),
                new HashSet<>(index.agentNames()));
        assertEquals("general_assistant_agent", index.defaultAgent().orElseThrow());
        for (AgentProfile a : agents) {
            assertTrue(
                    a.examples().size() >= 30 && a.examples().size() <= 60,
                    a.name() + ": " + a.examples().size());
            assertEquals(a.examples().size(), normalised(a.examples().stream()).size(), a.name() + " has duplicates");
        }
    }

    @Test
    void noEvaluationLineIsAnExample() {
        assumeTrue(RoutingData.sharedDataPresent(), NO_SHARED_DATA);
        Set<String> examples = normalised(agents.stream().flatMap(a -> a.examples().stream()));
        List<String> overlap = Stream.concat(RoutingData.routingDev().stream(), RoutingData.clinc150().stream())
                .map(RoutingData.Labelled::text)
                .filter(t -> examples.contains(RoutingData.normalise(t)))
                .toList();
        assertEquals(List.of(), overlap);
    }

    @Test
    void validationSetIsHeldOut() {
        Set<String> examples = normalised(agents.stream().flatMap(a -> a.examples().stream()));
        Set<String> shared = !RoutingData.sharedDataPresent()
                ? Set.of()
                : normalised(Stream.concat(RoutingData.routingDev().stream(), RoutingData.clinc150().stream())
                        .map(RoutingData.Labelled::text));
        List<String> overlap = RoutingData.validation().stream()
                .map(RoutingData.Labelled::text)
                .filter(t -> examples.contains(RoutingData.normalise(t)) || shared.contains(RoutingData.normalise(t)))
                .toList();
        assertEquals(List.of(), overlap);
    }

    @ParameterizedTest
    @EnumSource(RouterEmbeddingModel.class)
    void routesAtLeastNinetyPercentOfRoutingDevWithoutAnLlm(RouterEmbeddingModel model) {
        assumeTrue(RoutingData.sharedDataPresent(), NO_SHARED_DATA);
        RouterIndex index = INDEXES.get(model);
        RoutingReport.Result r = RoutingReport.evaluate(index, RoutingData.routingDev(), "general_assistant_agent");
        assertEquals(80, r.total());
        assertTrue(r.accuracy() >= 0.90, "routing-dev accuracy " + r.accuracy() + " confusion " + r.confusion());
    }

    @ParameterizedTest
    @EnumSource(RouterEmbeddingModel.class)
    void validationSetSanity(RouterEmbeddingModel model) {
        RouterIndex index = INDEXES.get(model);
        List<RoutingData.Labelled> val = RoutingData.validation();
        Map<String, Long> perAgent =
                val.stream().collect(Collectors.groupingBy(RoutingData.Labelled::agent, Collectors.counting()));
        perAgent.values().forEach(n -> assertTrue(n >= 15));
        RoutingReport.Result all = RoutingReport.evaluate(index, val, "general_assistant_agent");
        assertTrue(all.accuracy() >= 0.85, "validation accuracy " + all.accuracy() + " " + all.confusion());
        List<RoutingData.Labelled> offTopic =
                val.stream().filter(l -> "off_topic".equals(l.intent())).toList();
        assertTrue(offTopic.size() >= 15);
        RoutingReport.Result off = RoutingReport.evaluate(index, offTopic, "general_assistant_agent");
        assertTrue(off.accuracy() >= 0.85, "off-topic to default " + off.accuracy());
    }

    @ParameterizedTest
    @EnumSource(RouterEmbeddingModel.class)
    void confidentDecisionsAreMostlyRight(RouterEmbeddingModel model) {
        RouterIndex index = INDEXES.get(model);
        int confident = 0;
        int right = 0;
        for (RoutingData.Labelled l : RoutingData.validation()) {
            SemanticMatch m = index.match(l.text());
            if (m.confident()) {
                confident++;
                right += l.agent().equals(m.agent()) ? 1 : 0;
            }
        }
        assertTrue(confident > 0);
        assertTrue(right >= 0.95 * confident, right + "/" + confident);
    }
}
