package dev.switchboard.supervisor.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Decision logic of {@link RouterIndex} with a keyword-axis fake embedding model. */
class RouterIndexTest {

    private static final AgentProfile CALENDAR = new AgentProfile(
            "calendar", null, List.of("calendar today", "my calendar friday", "calendar next week"), false);
    private static final AgentProfile BOOKING =
            new AgentProfile("booking", "", List.of("book me in", "please book tuesday", "book a table"), false);
    private static final AgentProfile SALES =
            new AgentProfile("sales", null, List.of("price list", "what price", "price for ten"), false);
    private static final AgentProfile GENERAL =
            new AgentProfile("general", null, List.of("hello", "hello there", "hello friend"), true);

    private final FakeEmbeddingModel model = new FakeEmbeddingModel();

    private RouterIndex index(RouterSettings settings, AgentProfile... agents) {
        return new SemanticRouter(model, settings).buildIndex(List.of(agents));
    }

    @Test
    void clearMessageGoesToItsAgentWithRankedCandidates() {
        RouterIndex index = index(new RouterSettings(0.5, 0.5), CALENDAR, BOOKING, SALES, GENERAL);
        SemanticMatch m = index.match("please book a slot");
        assertEquals("booking", m.agent());
        assertTrue(m.confident());
        assertEquals(4, m.candidates().size());
        assertEquals("booking", m.candidates().get(0).agent());
        assertEquals(m.score(), m.candidates().get(0).score(), 1e-12);
        double sum = 0;
        for (int i = 0; i < m.candidates().size(); i++) {
            RoutingCandidate c = m.candidates().get(i);
            assertTrue(c.score() >= 0 && c.score() <= 1);
            if (i > 0) {
                assertTrue(m.candidates().get(i - 1).score() >= c.score(), "candidates ranked best first");
            }
            sum += c.score();
        }
        assertEquals(1.0, sum, 1e-9);
        assertEquals(
                List.of("booking", "calendar", "general", "sales"),
                m.candidates().stream().map(RoutingCandidate::agent).sorted().toList());
    }

    @Test
    void messageFarFromTheBestSpecialistFallsBackToTheDefaultAgent() {
        RouterIndex index = index(new RouterSettings(0.5, 0.5), CALENDAR, BOOKING, SALES, GENERAL);
        SemanticMatch m = index.match("zzz qqq"); // orthogonal to every example
        assertEquals("general", m.agent());
        assertFalse(m.confident());
        assertEquals(4, m.candidates().size());
        double general = m.candidates().stream()
                .filter(c -> c.agent().equals("general"))
                .findFirst()
                .orElseThrow()
                .score();
        assertEquals(general, m.score(), 1e-12);
    }

    @Test
    void gateFailureWithoutDefaultAgentKeepsTheBestAgentButIsNotConfident() {
        RouterIndex index = index(new RouterSettings(0.5, 0.0), CALENDAR, BOOKING);
        SemanticMatch m = index.match("zzz qqq");
        assertEquals(m.candidates().get(0).agent(), m.agent());
        assertFalse(m.confident());
        assertEquals(Optional.empty(), index.defaultAgent());
    }

    @Test
    void lowProbabilityKeepsTheAgentButIsNotConfident() {
        RouterIndex index = index(new RouterSettings(0.0, 1.0), CALENDAR, BOOKING, SALES, GENERAL);
        SemanticMatch m = index.match("check my calendar");
        assertEquals("calendar", m.agent());
        assertFalse(m.confident());
    }

    @Test
    void blankMessageGoesToTheDefaultAgentUnsure() {
        RouterIndex index = index(RouterSettings.defaults(), CALENDAR, GENERAL);
        SemanticMatch m = index.match("   ");
        assertEquals("general", m.agent());
        assertFalse(m.confident());
        assertEquals(2, m.candidates().size());
    }

    @Test
    void emptyIndexMatchesNoAgent() {
        RouterIndex index = index(RouterSettings.defaults());
        SemanticMatch m = index.match("hello");
        assertNull(m.agent());
        assertFalse(m.confident());
        assertTrue(m.candidates().isEmpty());
        assertTrue(index.agentNames().isEmpty());
        assertEquals(Optional.empty(), index.defaultAgent());
    }

    @Test
    void singleAgentIndexAlwaysPicksIt() {
        RouterIndex index = index(new RouterSettings(0.0, 0.5), CALENDAR);
        SemanticMatch m = index.match("what price");
        assertEquals("calendar", m.agent());
        assertEquals(1.0, m.score(), 1e-12);
        assertTrue(m.confident());
    }

    @Test
    void exposesAgentNamesInProfileOrderAndTheDefaultAgent() {
        RouterIndex index = index(RouterSettings.defaults(), SALES, GENERAL, CALENDAR);
        assertEquals(List.of("sales", "general", "calendar"), index.agentNames());
        assertEquals(Optional.of("general"), index.defaultAgent());
    }

    @Test
    void agentWithoutTextsIsRepresentedByItsName() {
        AgentProfile bare = new AgentProfile("price_desk", null, null, false);
        RouterIndex index = index(new RouterSettings(0.3, 0.0), bare, CALENDAR, GENERAL);
        assertEquals("price_desk", index.match("price please").agent());
    }

    @Test
    void rejectsDuplicateNamesAndBlankNames() {
        SemanticRouter router = new SemanticRouter(model, RouterSettings.defaults());
        assertThrows(IllegalArgumentException.class, () -> router.buildIndex(List.of(CALENDAR, CALENDAR)));
        assertThrows(IllegalArgumentException.class, () -> new AgentProfile(" ", null, List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new RouterSettings(1.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new RouterSettings(0.5, Double.NaN));
    }

    @Test
    void rebuildingReusesCachedEmbeddings() {
        SemanticRouter router = new SemanticRouter(model, RouterSettings.defaults());
        router.buildIndex(List.of(CALENDAR, BOOKING));
        int afterFirst = model.embeddedTexts.get();
        assertEquals(6, afterFirst);
        router.buildIndex(List.of(CALENDAR, BOOKING, GENERAL));
        assertEquals(afterFirst + 3, model.embeddedTexts.get(), "only the new agent's texts are embedded");
    }

    @Test
    void indexIsUsableFromManyThreads() throws Exception {
        RouterIndex index = index(new RouterSettings(0.5, 0.5), CALENDAR, BOOKING, SALES, GENERAL);
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<String> agents = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    agents.add(index.match("what price is it").agent());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(400, agents.size());
        assertTrue(agents.stream().allMatch("sales"::equals));
    }

    @Test
    void manyAgentsAreScoredBySimilarityInsteadOfATrainedHead() {
        int agents = SemanticRouter.MAX_HEAD_AGENTS + 24;
        List<AgentProfile> profiles = new java.util.ArrayList<>();
        for (int a = 0; a < agents; a++) {
            profiles.add(new AgentProfile("agent_" + a, null, List.of("about t" + a, "t" + a + " please"), a == 0));
        }
        dev.langchain4j.model.embedding.EmbeddingModel tokens = new dev.langchain4j.model.embedding.EmbeddingModel() {
            @Override
            public dev.langchain4j.model.output.Response<List<dev.langchain4j.data.embedding.Embedding>> embedAll(
                    List<dev.langchain4j.data.segment.TextSegment> segments) {
                return dev.langchain4j.model.output.Response.from(segments.stream()
                        .map(s -> {
                            float[] v =
                                    new float[agents + 1]; // one axis per token t<n>, a last one for everything else
                            java.util.regex.Matcher m =
                                    java.util.regex.Pattern.compile("t(\\d+)").matcher(s.text());
                            v[m.find() ? Integer.parseInt(m.group(1)) : agents] = 1f;
                            return dev.langchain4j.data.embedding.Embedding.from(v);
                        })
                        .toList());
            }
        };
        long start = System.nanoTime();
        RouterIndex index = new SemanticRouter(tokens, new RouterSettings(0.5, 0.5)).buildIndex(profiles);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "no training: the index builds at once");

        SemanticMatch m = index.match("a question on t37");
        assertEquals("agent_37", m.agent());
        assertTrue(m.confident(), "one agent clearly most similar: " + m.score());
        assertEquals("agent_37", m.candidates().get(0).agent());
        SemanticMatch off = index.match("nothing known");
        assertEquals("agent_0", off.agent(), "below the similarity gate: the default agent");
        assertFalse(off.confident());
    }

    @Test
    void trainingStepsStayWithinTheBudget() {
        assertEquals(1500, SemanticRouter.trainingSteps(234, 4, 384, 1500), "the seeded agents train fully");
        int steps = SemanticRouter.trainingSteps(960, 16, 384, 1500);
        assertTrue(steps < 1500 && steps >= SemanticRouter.MIN_TRAINING_STEPS, "16 agents x 60 texts: " + steps);
        assertTrue((double) steps * 960 * 16 * 385 <= SemanticRouter.TRAINING_BUDGET * 1.01);
        assertEquals(SemanticRouter.MIN_TRAINING_STEPS, SemanticRouter.trainingSteps(100_000, 16, 384, 1500));
    }

    @Test
    void decidesWithTheWinnersSimilarityAloneAsWithEverySimilarity() {
        RouterIndex index = index(new RouterSettings(0.45, 0.6), CALENDAR, BOOKING, SALES, GENERAL);
        assertTrue(index.hasHead());
        for (String message : List.of(
                "please book a slot",
                "check my calendar",
                "what price for ten",
                "hello",
                "zzz qqq",
                "calendar price",
                "book hello friend",
                "my calendar price list tuesday")) {
            SemanticMatch fast = index.match(message);
            SemanticMatch full = index.decide(
                    index.score(SemanticRouter.normalise(
                            model.embed(message).content().vector())),
                    new RouterSettings(0.45, 0.6));
            assertEquals(full, fast, message);
        }
    }
}
