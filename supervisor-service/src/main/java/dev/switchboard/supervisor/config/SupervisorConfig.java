package dev.switchboard.supervisor.config;

import dev.switchboard.supervisor.routing.RouterEmbeddingModel;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/** Every supervisor setting, mapped from the environment names users migrate with, in application.properties. */
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

    /**
     * Bucket size of the per-user rate limit ({@code RATE_LIMIT_BURST}): requests admitted at once before the
     * {@link #rateLimitPerMinute()} refill paces them; absent = the per-minute value.
     */
    Optional<Integer> rateLimitBurst();

    /**
     * Longest wait for in-flight turns on SIGTERM ({@code SHUTDOWN_GRACE}) before leases are released and the
     * process exits; also {@code quarkus.shutdown.timeout}.
     */
    @WithDefault("30s")
    Duration shutdownGrace();

    /**
     * How long a chat-path Redis command (rate limit, session lease) waits before Redis is asked, on a connection of its
     * own, whether it answers at all ({@code REDIS_TIMEOUT}); that question waits twice this. Silent: the rate limit is
     * skipped and the lease refused (503 {@code dependency-unavailable}), so a stalled Redis fails a chat within about
     * three times this; answering (only busy): the command waits on. See {@code sessions.RedisLiveness}.
     */
    @WithDefault("250ms")
    Duration redisTimeout();

    /** Single-writer lease per session. */
    Lease lease();

    /** Idempotency keys of chat turns ({@code Idempotency-Key}, A2A {@code messageId}). */
    Idempotency idempotency();

    /**
     * Sessions whose latest snapshot this replica keeps after its own turns ({@code SESSION_CACHE_SIZE}), so the
     * next turn of the same session skips loading it from state-service when no other replica wrote in between
     * (see {@code service.SessionSnapshots}). 0 turns the cache off.
     */
    @WithDefault("10000")
    int sessionCacheSize();

    /** How many recent messages of a session go to the model as history. */
    @WithDefault("20")
    int historyMessages();

    /** Routing settings. */
    Routing routing();

    /** LLM settings. */
    Llm llm();

    /** Bounds on what agents answer, so a turn always fits what state-service stores. */
    AgentOutput agentOutput();

    /** How remote and A2A agents are called over HTTP (besides the per-attempt limit of their guard). */
    AgentHttp agentHttp();

    /** Registry/prompt cache settings. */
    Cache cache();

    /** Calendar (local, PostgreSQL-backed) settings for the calendar tools. */
    Calendar calendar();

    /** How this replica registers with agent-registry-service and heartbeats (cluster view, {@code /system/stats}). */
    Instance instance();

    /** Registration of this replica as a supervisor instance. */
    interface Instance {
        /** Advertised host ({@code SUPERVISOR_HOST}); default the host name. */
        Optional<String> host();

        /** Advertised port ({@code SUPERVISOR_PORT}); default the HTTP port this replica listens on. */
        Optional<Integer> port();

        /** Application version reported to the registry (from {@code quarkus.application.version}). */
        @WithDefault("unknown")
        String version();

        /** Heartbeat period ({@code SUPERVISOR_HEARTBEAT_INTERVAL}; a bare number is seconds). */
        @WithDefault("5s")
        Duration heartbeatInterval();
    }

    /** The Redis lease that makes one request at a time the writer of a session (see {@code lease/}). */
    interface Lease {
        /** Lease time to live ({@code SESSION_LEASE_TTL}); renewed every third of it while the turn runs. */
        @WithDefault("5s")
        Duration ttl();

        /** Longest wait of an {@code enqueue} message for its session ({@code SESSION_LEASE_MAX_WAIT}), then 503. */
        @WithDefault("30s")
        Duration maxWait();

        /** Backstop poll of a waiting message (release notifications over pub/sub wake it at once). */
        @WithDefault("50ms")
        Duration pollInterval();

        /** Messages that may wait for their session on this replica; absent = 10 x max-concurrent-sessions. */
        Optional<Integer> maxWaitersPerReplica();
    }

    /** How long a turn's idempotency key is remembered. */
    interface Idempotency {
        /**
         * How long a repeated request with the same key gets the first one's answer ({@code IDEMPOTENCY_TTL}): the
         * lifetime of the key's answer in Redis; the turn record in the session keeps answering after it.
         */
        @WithDefault("24h")
        Duration ttl();
    }

    /** Routing thresholds. */
    interface Routing {
        /** Agent used when nothing else decides ({@code DEFAULT_AGENT}); else the registry's is_default agent. */
        Optional<String> defaultAgent();

        /** Minimum cosine similarity (0..1) between the message and the chosen agent's examples. */
        @WithDefault("0.40")
        double minSimilarity();

        /** Minimum classifier probability (0..1) for a semantic decision to stand without the LLM router. */
        @WithDefault("0.55")
        double minConfidence();

        /** Use the LLM router for uncertain messages when an LLM is configured. */
        @WithDefault("true")
        boolean llmFallback();

        /**
         * Message embeddings kept in memory by exact text ({@code ROUTER_EMBEDDING_CACHE_SIZE}, entries of about
         * 1.6 KB); a repeated message skips the embedding model. 0 turns the cache off.
         */
        @WithDefault("10000")
        int embeddingCacheSize();

        /**
         * The router's in-process embedding model ({@code ROUTER_EMBEDDING_MODEL}): {@code all-minilm-l6-v2-q}
         * (quantized, about half the CPU per message) or {@code all-minilm-l6-v2} (full precision).
         */
        @WithDefault("all-minilm-l6-v2-q")
        RouterEmbeddingModel embeddingModel();

        /**
         * Whether replicas share the embeddings of agent texts through Redis ({@code ROUTER_SHARED_EMBEDDINGS}): a new
         * agent's description and examples are embedded by one replica, the others read them.
         */
        @WithDefault("true")
        boolean sharedEmbeddings();
    }

    /**
     * LLM client settings; the model itself is configured under quarkus.langchain4j.openai. Whether an LLM
     * counts as configured is decided by {@code agent.LlmAvailability} from {@link #enabled()},
     * {@link #apiKey()} and {@link #baseUrl()}.
     */
    interface Llm {
        /**
         * Explicit override of the "LLM configured" decision ({@code SWITCHBOARD_LLM_ENABLED}): {@code true}
         * or {@code false}; absent = derive it from {@link #apiKey()} and {@link #baseUrl()}.
         */
        Optional<Boolean> enabled();

        /**
         * The API key the OpenAI client uses (mirrors {@code quarkus.langchain4j.openai.api-key}, i.e.
         * {@code OPENAI_API_KEY}); the placeholders {@code not-configured} and {@code dummy} count as unset.
         */
        Optional<String> apiKey();

        /**
         * The base URL the OpenAI client uses (mirrors {@code quarkus.langchain4j.openai.base-url}, i.e.
         * {@code OPENAI_BASE_URL}); the public OpenAI default counts as unset.
         */
        Optional<String> baseUrl();

        /** Most tool-call rounds in one turn before the turn fails. */
        @WithDefault("5")
        int maxToolRounds();

        /**
         * Time limit of one tool call (e.g. a calendar query), within the LLM turn's
         * ({@code supervisor.fault-tolerance.llm.timeout}).
         */
        @WithDefault("10s")
        Duration toolTimeout();
    }

    /**
     * Bounds on agent output. Whatever an agent answers, the turn is stored with the user's message: a reply that
     * is too long is cut, a state patch that is too large is dropped, and the reason goes into the turn's metadata
     * ({@code output_limits}); only an HTTP answer over {@link #responseMaxBytes()} fails the turn.
     */
    interface AgentOutput {
        /**
         * Longest reply stored and answered, in characters ({@code AGENT_REPLY_MAX_CHARS}); a longer one is cut and
         * ends with {@code [reply truncated]}. At most 32000, state-service's limit on one message.
         */
        @WithDefault("32000")
        @Min(100)
        @Max(32000)
        int replyMaxChars();

        /**
         * Largest {@code state_patch} applied, as JSON bytes ({@code AGENT_STATE_PATCH_MAX_BYTES}); a larger one is
         * dropped and the reply kept.
         */
        @WithDefault("256K")
        MemorySize statePatchMaxBytes();

        /**
         * Largest HTTP answer read from a remote agent ({@code AGENT_RESPONSE_MAX_BYTES}): a longer one is not read
         * (the connection is closed) and the turn fails with 502 {@code agent-failed}.
         */
        @WithDefault("8M")
        MemorySize responseMaxBytes();

        /**
         * Largest turn sent to state-service, as JSON bytes ({@code AGENT_TURN_MAX_BYTES}); must stay below
         * state-service's {@code MAX_BODY_SIZE} (1M). A turn over it first loses its tool-call details, then its
         * state patch.
         */
        @WithDefault("960K")
        MemorySize turnMaxBytes();
    }

    /**
     * The HTTP client of remote and A2A agents ({@code agents.AgentHttpClient}); its idle (read) timeout is the
     * per-attempt limit {@code REMOTE_AGENT_TIMEOUT}, and which addresses it may reach is {@code AGENT_URL_ALLOW}.
     */
    interface AgentHttp {
        /** Longest wait for a TCP (and TLS) connection to an agent ({@code AGENT_CONNECT_TIMEOUT}); at most the attempt limit. */
        @WithDefault("5s")
        Duration connectTimeout();
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

        /** Widest date range (days, inclusive) check_availability accepts. */
        @WithDefault("14")
        int maxRangeDays();

        /** Longest appointment book_appointment accepts, in minutes. */
        @WithDefault("240")
        int maxDurationMinutes();

        /** Business name used in prompts ({@code BUSINESS_NAME}). */
        @WithDefault("Switchboard Demo Co.")
        String businessName();
    }
}
