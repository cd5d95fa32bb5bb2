package dev.switchboard.supervisor.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Replicas sharing agent-text embeddings: each text is embedded by one router, the others read it. */
class SharedEmbeddingsTest {

    private static final RouterSettings SETTINGS = new RouterSettings(0.3, 0.5);
    private static final List<AgentProfile> AGENTS = List.of(
            new AgentProfile("calendar_agent", "calendar lookups", List.of("what is on my calendar"), false),
            new AgentProfile("booking_agent", "book appointments", List.of("book me in on friday"), false),
            new AgentProfile("general_agent", "hello and small talk", List.of("hello there"), true));

    /** In-memory stand-in for Redis; {@code claimedElsewhere} texts are claimed by a replica that never stores. */
    static final class MemoryEmbeddings implements SharedEmbeddings {
        final Map<String, double[]> stored = new ConcurrentHashMap<>();
        final Map<String, Boolean> claims = new ConcurrentHashMap<>();

        @Override
        public Map<String, double[]> find(List<String> texts) {
            Map<String, double[]> found = new ConcurrentHashMap<>();
            texts.forEach(t -> {
                if (stored.containsKey(t)) {
                    found.put(t, stored.get(t));
                }
            });
            return found;
        }

        @Override
        public List<String> claim(List<String> texts) {
            List<String> won = new ArrayList<>();
            texts.forEach(t -> {
                if (claims.putIfAbsent(t, true) == null) {
                    won.add(t);
                }
            });
            return won;
        }

        @Override
        public void store(Map<String, double[]> vectors) {
            stored.putAll(vectors);
        }
    }

    @Test
    void aSecondReplicaReadsTheTextsTheFirstEmbedded() {
        MemoryEmbeddings shared = new MemoryEmbeddings();
        FakeEmbeddingModel first = new FakeEmbeddingModel();
        FakeEmbeddingModel second = new FakeEmbeddingModel();
        RouterIndex a = new SemanticRouter(first, SETTINGS, shared).buildIndex(AGENTS, false);
        RouterIndex b = new SemanticRouter(second, SETTINGS, shared).buildIndex(AGENTS, false);

        assertEquals(6, first.embeddedTexts.get(), "the first replica embedded every text once");
        assertEquals(0, second.embeddedTexts.get(), "the second embedded none");
        assertEquals(
                a.match("book me in for monday").agent(),
                b.match("book me in for monday").agent());
        assertEquals("booking_agent", b.match("book me in for monday").agent());
    }

    @Test
    void aTextClaimedByAReplicaThatNeverDeliversIsEmbeddedAfterTheWait() {
        MemoryEmbeddings shared = new MemoryEmbeddings();
        shared.claims.put("hello there", true); // another replica claimed it and died
        FakeEmbeddingModel model = new FakeEmbeddingModel();
        RouterIndex index = new SemanticRouter(model, SETTINGS, shared).buildIndex(AGENTS, false);

        assertEquals(6, model.embeddedTexts.get(), "five won at once, the sixth after the claim wait");
        assertEquals("general_agent", index.match("hello there").agent());
        assertEquals(6, shared.stored.size(), "and shared all of them");
    }
}
