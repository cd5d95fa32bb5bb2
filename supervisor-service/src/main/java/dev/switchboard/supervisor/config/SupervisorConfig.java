package dev.switchboard.supervisor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** Every supervisor setting, mapped from the seeds' environment names in application.properties. */
@ConfigMapping(prefix = "supervisor")
public interface SupervisorConfig {

    /** This replica's id ({@code SUPERVISOR_ID}); defaults to the host name. */
    Optional<String> id();

    /** Turns this replica works on at once before answering 503 ({@code MAX_CONCURRENT_SESSIONS}). */
    @WithDefault("50")
    int maxConcurrentSessions();

    /** Chat requests per user per minute, shared by all replicas ({@code RATE_LIMIT_PER_MINUTE}); 0 = off. */
    @WithDefault("60")
    int rateLimitPerMinute();

    /** How many recent messages of a session go to the model as history. */
    @WithDefault("20")
    int historyMessages();

    /** Routing settings. */
    Routing routing();

    /** LLM settings. */
    Llm llm();

    /** Registry/prompt cache settings. */
    Cache cache();

    /** Calendar (local, PostgreSQL-backed) settings for the calendar tools. */
    Calendar calendar();

    /** Routing thresholds. */
    interface Routing {
        /** Agent used when nothing else decides ({@code DEFAULT_AGENT}); else the registry's is_default agent. */
        Optional<String> defaultAgent();

        /** Minimum cosine similarity (0..1) between the message and the chosen agent's examples. */
        @WithDefault("0.45")
        double minSimilarity();

        /** Minimum classifier probability (0..1) for a semantic decision to stand without the LLM router. */
        @WithDefault("0.55")
        double minConfidence();

        /** Use the LLM router for uncertain messages when an LLM is configured. */
        @WithDefault("true")
        boolean llmFallback();
    }

    /** LLM client settings; the model itself is configured under quarkus.langchain4j.openai. */
    interface Llm {
        /**
         * Whether an LLM endpoint is configured: true when {@code OPENAI_API_KEY} or
         * {@code OPENAI_BASE_URL} is set. Without it LLM agents answer 503 llm-not-configured.
         */
        @WithDefault("false")
        boolean configured();

        /** Most tool-call rounds in one turn before the turn fails. */
        @WithDefault("5")
        int maxToolRounds();

        /** Time limit of one agent execution (all LLM and tool rounds). */
        @WithDefault("60s")
        Duration timeout();
    }

    /** Local cache of registry and prompt data. */
    interface Cache {
        /** Full resync period of the agent cache ({@code REGISTRY_SYNC_INTERVAL}), besides pub/sub events. */
        @WithDefault("5s")
        Duration registrySyncInterval();

        /** Redis channel of agent events. */
        @WithName("agent-events-channel")
        @WithDefault("sb:events:agents")
        String agentEventsChannel();

        /** Redis channel of prompt events. */
        @WithName("prompt-events-channel")
        @WithDefault("sb:events:prompts")
        String promptEventsChannel();
    }

    /** The local calendar used by check_availability and book_appointment. */
    interface Calendar {
        /** Time zone of business hours and bookings ({@code BUSINESS_TIMEZONE}). */
        @WithDefault("UTC")
        String timezone();

        /** Length of a bookable slot in minutes. */
        @WithDefault("30")
        int slotMinutes();

        /** Business name used in prompts ({@code BUSINESS_NAME}). */
        @WithDefault("Switchboard Demo Co.")
        String businessName();
    }
}
