package dev.switchboard.supervisor.routing;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deterministic toy embedding model: one axis per keyword ({@code calendar}, {@code book}, {@code price},
 * {@code hello}); a text without keywords points along a fifth, unrelated axis. Counts embedded texts.
 */
final class FakeEmbeddingModel implements EmbeddingModel {

    static final String[] KEYWORDS = {"calendar", "book", "price", "hello"};

    final AtomicInteger embeddedTexts = new AtomicInteger();

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<Embedding> out = new ArrayList<>();
        for (TextSegment s : segments) {
            embeddedTexts.incrementAndGet();
            out.add(Embedding.from(vector(s.text())));
        }
        return Response.from(out);
    }

    static float[] vector(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        float[] v = new float[KEYWORDS.length + 1];
        boolean any = false;
        for (int i = 0; i < KEYWORDS.length; i++) {
            if (t.contains(KEYWORDS[i])) {
                v[i] = 1f;
                any = true;
            }
        }
        // a little text-dependent noise so examples of one agent are not identical
        v[KEYWORDS.length] = any ? 0.05f * (t.length() % 3) : 1f;
        return v;
    }
}
