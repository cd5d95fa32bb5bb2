package dev.switchboard.supervisor.prompts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.common.template.PromptTemplate;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.peers.Prompt;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Renders prompt-service prompts locally with the shared {@link PromptTemplate} (the {@code {{variable}}} rules
 * prompt-service validates with, so a prompt it accepts is one this renders), reading them through the
 * {@link PromptCache}.
 */
@ApplicationScoped
public class PromptService {

    /** Prompt id of the LLM router's classification prompt (variables {@code message}, {@code agents}). */
    public static final String ROUTER_PROMPT_ID = "router-intent-classification";

    private static final Logger LOG = Logger.getLogger(PromptService.class);

    private final PromptCache cache;
    private final Clock clock;
    private final SupervisorConfig.Calendar calendar;
    /** Parsed templates by their text (a prompt's versions differ in text, so a new version is a new entry). */
    private final Cache<String, PromptTemplate> templates =
            Caffeine.newBuilder().maximumSize(512).build();

    @Inject
    PromptService(PromptCache cache, SupervisorConfig config) {
        this(cache, Clock.system(zone(config.calendar().timezone())), config.calendar());
    }

    /** With a clock of its own, so tests can fix the date and time a prompt sees. */
    PromptService(PromptCache cache, Clock clock, SupervisorConfig.Calendar calendar) {
        this.cache = cache;
        this.clock = clock;
        this.calendar = calendar;
    }

    /**
     * A rendered prompt and where it came from.
     *
     * @param text     the rendered text
     * @param promptId the prompt's id
     * @param version  the prompt-service version that was rendered, or {@code null} when unknown
     */
    public record RenderedPrompt(String text, String promptId, Integer version) {}

    /**
     * Renders the production version of a prompt.
     *
     * @param promptId  prompt id
     * @param variables values for its placeholders; every placeholder needs a non-null value.
     *                  {@code current_date}, {@code current_time} and {@code current_date_time} are always set from
     *                  the clock in the business time zone, replacing any value passed (ISO-8601, as
     *                  {@link LocalDate}, {@link LocalTime} and {@link LocalDateTime} print themselves)
     * @return the rendered text; empty when the prompt does not exist, prompt-service is unavailable and it
     *         was never cached, its content is blank, or rendering fails (a syntax error or a placeholder without a
     *         value); each logged at WARN. Never fails.
     */
    public Uni<Optional<String>> renderPrompt(String promptId, Map<String, Object> variables) {
        return render(promptId, variables).map(rendered -> rendered.map(RenderedPrompt::text));
    }

    /**
     * {@link #renderPrompt} with the prompt's id and version, so a turn can record which version produced it.
     *
     * @return the rendering; empty in the cases {@link #renderPrompt} lists. Never fails.
     */
    public Uni<Optional<RenderedPrompt>> render(String promptId, Map<String, Object> variables) {
        return cache.findPrompt(promptId).map(prompt -> prompt.flatMap(p -> render(promptId, p, variables)));
    }

    private Optional<RenderedPrompt> render(String promptId, Prompt prompt, Map<String, Object> variables) {
        // prompt-service refuses blank content, so a blank prompt is a broken one: the caller's fallback prompt
        // serves better than an empty system prompt
        if (prompt.content() == null || prompt.content().isBlank()) {
            LOG.warnf("Prompt %s v%s has no content; treated as absent", promptId, prompt.version());
            return Optional.empty();
        }
        try {
            String text = templates.get(prompt.content(), PromptTemplate::parse).renderStrict(withClock(variables));
            return Optional.of(new RenderedPrompt(text, promptId, prompt.version()));
        } catch (RuntimeException e) {
            LOG.warnf("Prompt %s v%s could not be rendered: %s", promptId, prompt.version(), e.getMessage());
            return Optional.empty();
        }
    }

    /** A copy of the variables with the date and time of now: the clock wins, so a prompt never sees a stale day. */
    private Map<String, Object> withClock(Map<String, Object> variables) {
        Map<String, Object> values = variables == null ? new HashMap<>() : new HashMap<>(variables);
        values.put("current_date", LocalDate.now(clock).toString());
        values.put("current_time", LocalTime.now(clock).toString());
        values.put("current_date_time", LocalDateTime.now(clock).toString());
        return values;
    }

    /**
     * The variables an agent's system prompt is rendered with: {@code agent_name}, {@code business_name},
     * {@code current_date} (ISO date in the business time zone), {@code timezone}, {@code user_id}
     * ({@code anonymous} when absent) and {@code session_id}. One definition for the chat path and the canary
     * rollout, so a canary's prompt sees exactly what the stable prompt sees.
     *
     * @return a new mutable map
     */
    public Map<String, Object> agentVariables(String agentName, String userId, String sessionId) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("agent_name", agentName);
        variables.put("business_name", calendar.businessName());
        variables.put("current_date", LocalDate.now(clock).toString());
        variables.put("timezone", calendar.timezone());
        variables.put("user_id", userId == null ? "anonymous" : userId);
        variables.put("session_id", sessionId);
        return variables;
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            LOG.warnf("Unknown time zone %s, using UTC", id);
            return ZoneId.of("UTC");
        }
    }
}
