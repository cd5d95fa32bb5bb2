package dev.switchboard.supervisor.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.template.PromptTemplate;
import dev.switchboard.common.test.TemplateCorpus;
import dev.switchboard.common.test.TemplateCorpus.Case;
import dev.switchboard.supervisor.peers.Prompt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The supervisor's system-prompt rendering ({@link PromptService#render}) against the shared template corpus, so a
 * prompt prompt-service accepts is one the supervisor renders, and to the text prompt-service's render shows.
 */
class PromptRenderingTest {

    /** 18:30:05.123 on 21 November 2026 in the business time zone. */
    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-11-21T23:30:05.123Z"), ZoneId.of("America/New_York"));

    static Stream<Case> corpus() {
        return TemplateCorpus.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rendersTheCorpusAsItSays(Case c) {
        Optional<String> rendered = render(c.template(), c.values());
        switch (c.outcome()) {
            // a blank prompt is no prompt: prompt-service refuses to store one, so the caller falls back instead
            case RENDERS ->
                assertEquals(c.template().isBlank() ? Optional.empty() : Optional.of(c.expected()), rendered);
            case MISSING, INVALID -> assertEquals(Optional.empty(), rendered, "strict: no half-rendered prompt");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rendersExactlyTheTemplatesPromptServiceAccepts(Case c) {
        // what prompt-service stores: valid syntax (PromptTemplate.validate) and non-blank content (@NotBlank)
        boolean accepted =
                !c.template().isBlank() && PromptTemplate.validate(c.template()).isEmpty();
        Map<String, Object> complete = new HashMap<>(c.values());
        c.variables().forEach(name -> complete.putIfAbsent(name, "value"));
        c.missing().forEach(name -> complete.put(name, "value"));

        assertEquals(
                accepted,
                render(c.template(), complete).isPresent(),
                "given every variable, the supervisor renders what prompt-service accepts, and only that");
    }

    @Test
    void dateAndTimeComeFromTheClockAndWinOverValuesPassed() {
        Optional<String> rendered = render(
                "{{current_date}}|{{current_time}}|{{current_date_time}}|{{name}}",
                Map.of("current_date", "1999-01-01", "name", "Ann"));

        assertEquals(Optional.of("2026-11-21|18:30:05.123|2026-11-21T18:30:05.123|Ann"), rendered);
    }

    @Test
    void carriesThePromptsIdAndVersion() {
        PromptService.RenderedPrompt rendered = service("Hi {{name}}")
                .render("greeting", Map.of("name", "Ann"))
                .await()
                .indefinitely()
                .orElseThrow();

        assertEquals(new PromptService.RenderedPrompt("Hi Ann", "greeting", 7), rendered);
    }

    @Test
    void anAbsentPromptRendersNothing() {
        PromptService service = new PromptService(stubCache(Optional.empty()), CLOCK, null);

        assertTrue(
                service.renderPrompt("missing", Map.of()).await().indefinitely().isEmpty());
    }

    private static Optional<String> render(String content, Map<String, Object> values) {
        return service(content).renderPrompt("p", values).await().indefinitely();
    }

    private static PromptService service(String content) {
        Prompt prompt = new Prompt("p", "P", "agent", 7, PromptCache.LABEL, content, List.of(), Map.of(), true);
        return new PromptService(stubCache(Optional.of(prompt)), CLOCK, null);
    }

    /** A cache that answers every id with the same prompt, without prompt-service. */
    private static PromptCache stubCache(Optional<Prompt> prompt) {
        return new PromptCache(null, new SimpleMeterRegistry()) {
            @Override
            public Uni<Optional<Prompt>> findPrompt(String id) {
                return Uni.createFrom().item(prompt);
            }
        };
    }
}
