package dev.switchboard.supervisor.agents;

import dev.switchboard.supervisor.config.SupervisorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;

/**
 * Decides once, at startup, whether an LLM endpoint is configured.
 *
 * <p>The rule: {@code supervisor.llm.enabled} ({@code SWITCHBOARD_LLM_ENABLED}) wins when set. Otherwise an LLM
 * is configured when the OpenAI client's API key ({@code OPENAI_API_KEY}, mirrored into
 * {@code supervisor.llm.api-key}) is a real value — not blank and not one of the placeholders
 * {@code not-configured}/{@code dummy} — <em>or</em> its base URL ({@code OPENAI_BASE_URL}, mirrored into
 * {@code supervisor.llm.base-url}) points somewhere other than {@code https://api.openai.com/v1} (a local or
 * self-hosted OpenAI-compatible server often needs no key). Without an LLM, {@code llm} agents answer 503
 * {@code llm-not-configured} and the LLM router stays silent.
 */
@ApplicationScoped
public class LlmAvailability {

    /** API key values that mean "no key was given". */
    static final Set<String> PLACEHOLDER_KEYS = Set.of("not-configured", "dummy");
    /** The public OpenAI endpoint, the client's default base URL. */
    static final String OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

    private final boolean configured;

    /** CDI constructor: derives the decision from {@link SupervisorConfig.Llm}. */
    @Inject
    public LlmAvailability(SupervisorConfig config) {
        this(decide(config.llm().enabled(), config.llm().apiKey(), config.llm().baseUrl()));
    }

    /** @param configured a fixed decision (tests and tools that build executors by hand) */
    public LlmAvailability(boolean configured) {
        this.configured = configured;
    }

    /** @return whether LLM agents and the LLM router may call the model */
    public boolean isConfigured() {
        return configured;
    }

    /**
     * The decision rule (pure; see the class comment).
     *
     * @param override explicit true/false, or empty to derive
     * @param apiKey   the configured API key, may be empty or a placeholder
     * @param baseUrl  the configured base URL, may be empty
     * @return whether an LLM is configured
     */
    public static boolean decide(Optional<Boolean> override, Optional<String> apiKey, Optional<String> baseUrl) {
        if (override.isPresent()) {
            return override.get();
        }
        boolean realKey = apiKey.map(String::strip)
                .filter(k -> !k.isEmpty() && !PLACEHOLDER_KEYS.contains(k.toLowerCase()))
                .isPresent();
        boolean customBaseUrl = baseUrl.map(String::strip)
                .map(u -> u.replaceAll("/+$", ""))
                .filter(u -> !u.isEmpty() && !u.equalsIgnoreCase(OPENAI_DEFAULT_BASE_URL))
                .isPresent();
        return realKey || customBaseUrl;
    }
}
