package dev.switchboard.supervisor.prompts;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.supervisor.peers.Prompt;
import dev.switchboard.supervisor.peers.PromptClient;
import dev.switchboard.supervisor.peers.PromptNotFoundException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Prompts by id (label {@code production}) from prompt-service, cached until a {@code sb:events:prompts}
 * event marks them stale (or {@link #MAX_AGE} passes, as events may be lost). Stale-if-error: while
 * prompt-service is unavailable the last copy keeps serving, and says so: counter
 * {@code switchboard_prompt_cache_stale_served_total{prompt}} (turns served a copy prompt-service could not
 * confirm) and gauge {@code switchboard_prompt_cache_stale_prompts} (prompts currently served that way).
 */
@ApplicationScoped
public class PromptCache {

    /** Label every supervisor read resolves. */
    public static final String LABEL = "production";
    /** Longest a copy is served without asking prompt-service again. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(PromptCache.class);

    private final PromptClient client;
    private final MeterRegistry meters;
    /** Prompts kept at most; the least used beyond are evicted (and fetched again when asked for). */
    static final int MAX_PROMPTS = 1000;

    private final Map<String, Entry> entries = Caffeine.newBuilder()
            .maximumSize(MAX_PROMPTS)
            .<String, Entry>build()
            .asMap();

    PromptCache(PromptClient client, MeterRegistry meters) {
        this.client = client;
        this.meters = meters;
        Gauge.builder(
                        "switchboard.prompt.cache.stale.prompts",
                        entries,
                        all -> all.values().stream().filter(Entry::servedStale).count())
                .description("Prompts currently served from cache because prompt-service could not be asked")
                .register(meters);
    }

    /**
     * The production version of a prompt.
     *
     * @param id prompt id, e.g. {@code calendar-checker-system}
     * @return the prompt; empty when prompt-service has no such prompt, or when it is unavailable and no
     *         copy was ever cached (logged at WARN). Never fails.
     */
    public Uni<Optional<Prompt>> findPrompt(String id) {
        Entry cached = entries.get(id);
        if (cached != null && cached.fresh()) {
            return Uni.createFrom().item(Optional.of(cached.prompt()));
        }
        return client.findPrompt(id, LABEL)
                .map(prompt -> {
                    entries.put(id, new Entry(prompt, Instant.now(), false, false));
                    return Optional.of(prompt);
                })
                .onFailure(PromptNotFoundException.class)
                .recoverWithItem(failure -> {
                    entries.remove(id);
                    LOG.warnf("Prompt %s not found in prompt-service (%s)", id, failure.getMessage());
                    return Optional.<Prompt>empty();
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    Entry last = entries.computeIfPresent(id, (k, e) -> e.markServedStale());
                    if (last != null) {
                        Counter.builder("switchboard.prompt.cache.stale.served")
                                .tag("prompt", id)
                                .description("Reads answered with a cached prompt prompt-service could not confirm")
                                .register(meters)
                                .increment();
                        LOG.warnf(
                                "prompt-service unavailable (%s); serving cached prompt %s v%s",
                                failure.getMessage(), id, last.prompt().version());
                        return Optional.of(last.prompt());
                    }
                    LOG.warnf(
                            "prompt-service unavailable (%s) and prompt %s was never cached", failure.getMessage(), id);
                    return Optional.<Prompt>empty();
                });
    }

    /**
     * Marks a prompt stale (the next read asks prompt-service; the copy stays for stale-if-error).
     *
     * @param id prompt id, or {@code null} to mark every prompt stale
     */
    public void invalidate(String id) {
        if (id == null) {
            entries.replaceAll((k, e) -> e.markStale());
        } else {
            entries.computeIfPresent(id, (k, e) -> e.markStale());
        }
    }

    private record Entry(Prompt prompt, Instant fetchedAt, boolean stale, boolean servedStale) {
        boolean fresh() {
            return !stale && fetchedAt.plus(MAX_AGE).isAfter(Instant.now());
        }

        Entry markStale() {
            return new Entry(prompt, fetchedAt, true, servedStale);
        }

        Entry markServedStale() {
            return new Entry(prompt, fetchedAt, stale, true);
        }
    }
}
