package dev.switchboard.supervisor.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.event.ChannelSubscription;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.ops.EventPropagationMetrics;
import dev.switchboard.supervisor.prompts.PromptCache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Listens on the registry's and prompt-service's Redis channels ({@code sb:events:agents},
 * {@code sb:events:prompts}): an agent event is applied to the agent cache at once (from the agent it carries, else
 * by a full refresh), a prompt event marks the prompt stale; each applied event's delay since its {@code timestamp}
 * goes to {@code switchboard_event_propagation_seconds}. Each channel is a {@link ChannelSubscription}, which
 * subscribes again with back-off when the connection drops; events published meanwhile are lost, so once it is back
 * the agent cache is refreshed in full and every cached prompt marked stale. A gap in either channel's {@code seq}
 * means the same and is answered the same way.
 *
 * <p>The handlers run on the subscription's event-loop thread: they only parse and hand over (the agent cache applies
 * events on a worker of its own; marking prompts stale is a map update).
 */
@ApplicationScoped
public class PeerEventSubscriber {

    private static final Logger LOG = Logger.getLogger(PeerEventSubscriber.class);
    private static final String DELETED = "agent.deleted";

    private final ReactiveRedisDataSource redis;
    private final AgentCache agents;
    private final PromptCache prompts;
    private final SupervisorConfig config;
    private final ObjectMapper mapper;
    private final EventPropagationMetrics propagation;
    private final AgentEventSequence sequence;
    private final PromptEventSequence promptSequence;
    private volatile List<ChannelSubscription> subscriptions = List.of();

    PeerEventSubscriber(
            ReactiveRedisDataSource redis,
            AgentCache agents,
            PromptCache prompts,
            SupervisorConfig config,
            ObjectMapper mapper,
            EventPropagationMetrics propagation,
            AgentEventSequence sequence,
            PromptEventSequence promptSequence) {
        this.redis = redis;
        this.agents = agents;
        this.prompts = prompts;
        this.config = config;
        this.mapper = mapper;
        this.propagation = propagation;
        this.sequence = sequence;
        this.promptSequence = promptSequence;
    }

    void onStart(@Observes StartupEvent event) {
        subscriptions = List.of(
                ChannelSubscription.open(
                        redis,
                        config.cache().agentEventsChannel(),
                        this::onAgentEvent,
                        () -> agents.requestRefresh("resubscribed")),
                ChannelSubscription.open(
                        redis,
                        config.cache().promptEventsChannel(),
                        this::onPromptEvent,
                        () -> prompts.invalidate(null)));
    }

    void onStop(@Observes ShutdownEvent event) {
        subscriptions.forEach(ChannelSubscription::close);
    }

    /**
     * Applies an agent event: an event that carries the agent ({@code snapshot}) upserts it, {@code agent.deleted}
     * removes it, each without re-reading the list; an event without the agent (an older registry, or an agent too
     * large for an event) refreshes the whole cache. A gap or a reset in the events' {@code seq} (counted and logged by
     * {@link AgentEventSequence}) means events were lost: the event is applied and the whole cache refreshed too.
     */
    void onAgentEvent(String payload) {
        JsonNode event = parse(payload);
        String type = text(event, "type");
        String agent = text(event, "agent");
        String seq = text(event, "seq");
        boolean gap = sequence.gap(EventSequence.parse(seq));
        LOG.debugf("Agent event %s for %s (seq %s)", type, agent, seq);
        Instant published = EventPropagationMetrics.parseTimestamp(text(event, "timestamp"));
        RegistryAgent snapshot = snapshot(event);
        String revision = text(event, "revision");
        boolean applied = false;
        if (snapshot != null && agent != null && agent.equals(snapshot.name()) && !DELETED.equals(type)) {
            agents.applyUpsert(snapshot, gap ? null : published);
            applied = true;
        } else if (DELETED.equals(type) && agent != null && revision != null && revision.matches("\\d{1,18}")) {
            agents.applyDelete(agent, Long.parseLong(revision), snapshot, gap ? null : published);
            applied = true;
        }
        if (gap || !applied) {
            agents.requestRefresh((gap ? "gap before " : "") + "event " + type + " " + agent, published);
        }
    }

    private RegistryAgent snapshot(JsonNode event) {
        JsonNode node = event == null ? null : event.get("snapshot");
        if (node == null || !node.isObject()) {
            return null;
        }
        try {
            return mapper.treeToValue(node, RegistryAgent.class);
        } catch (Exception e) {
            LOG.debugf("Unreadable agent in event: %s", e.getMessage());
            return null;
        }
    }

    /**
     * A prompt event marks that prompt stale (all prompts when the event names none). A gap or a reset in the events'
     * {@code seq} (counted and logged by {@link PromptEventSequence}) means events were lost, which may have named any
     * prompt: every cached prompt is marked stale.
     */
    void onPromptEvent(String payload) {
        JsonNode event = parse(payload);
        String promptId = text(event, "prompt_id");
        boolean gap = promptSequence.gap(EventSequence.parse(text(event, "seq")));
        LOG.infof("Prompt event %s for %s", text(event, "type"), promptId);
        prompts.invalidate(gap ? null : promptId);
        propagation.applied(
                EventPropagationMetrics.PROMPTS, EventPropagationMetrics.parseTimestamp(text(event, "timestamp")));
    }

    private JsonNode parse(String payload) {
        try {
            return payload == null ? null : mapper.readTree(payload);
        } catch (Exception e) {
            LOG.debugf("Unparseable event payload: %s", e.getMessage());
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.get(field) == null || node.get(field).isNull()) {
            return null;
        }
        return node.get(field).asText();
    }
}
