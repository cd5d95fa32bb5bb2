package dev.switchboard.supervisor.cache;

import dev.switchboard.supervisor.AgentDescriptor;
import dev.switchboard.supervisor.client.AgentRegistryClient;
import dev.switchboard.supervisor.client.RegistryAgent;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.metrics.EventPropagationMetrics;
import dev.switchboard.supervisor.routing.AgentProfile;
import dev.switchboard.supervisor.routing.RouterIndex;
import dev.switchboard.supervisor.routing.SemanticRouter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Local copy of every agent in agent-registry-service and the semantic {@link RouterIndex} built from the
 * active ones. Refreshed at start (retried in the background until it succeeds; readiness is DOWN until
 * then), every {@code supervisor.cache.registry-sync-interval}, and at once on each agent event. The index
 * is rebuilt on a worker thread when the active agents change; the previous index keeps serving meanwhile.
 */
@ApplicationScoped
public class AgentCache {

    private static final Logger LOG = Logger.getLogger(AgentCache.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(15);
    /** Bound of the event timestamps waiting for a refresh (only for the propagation metric). */
    private static final int MAX_PENDING_EVENTS = 1000;

    private final AgentRegistryClient registry;
    private final SemanticRouter router;
    private final SupervisorConfig config;
    private final EventPropagationMetrics propagation;
    /** Timestamps of agent events not yet covered by a successful refresh. */
    private final ConcurrentLinkedQueue<Instant> pendingEvents = new ConcurrentLinkedQueue<>();

    private volatile Map<String, AgentDescriptor> agents = Map.of();
    private volatile List<AgentProfile> indexedProfiles;
    private volatile RouterIndex index;
    private volatile boolean synced;
    private volatile Instant lastSync;
    private volatile boolean stopped;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicBoolean refreshAgain = new AtomicBoolean();

    AgentCache(AgentRegistryClient registry, SemanticRouter router, SupervisorConfig config,
            EventPropagationMetrics propagation) {
        this.registry = registry;
        this.router = router;
        this.config = config;
        this.propagation = propagation;
    }

    void onStart(@Observes StartupEvent event) {
        initialSync(FIRST_RETRY);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** Full resync besides events (pub/sub may drop messages). */
    @Scheduled(every = "${supervisor.cache.registry-sync-interval:5s}",
            delayed = "${supervisor.cache.registry-sync-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodicSync() {
        requestRefresh("periodic");
    }

    /** First sync; on failure retried with backoff until it succeeds (startup never fails on it). */
    private void initialSync(Duration delay) {
        refresh().subscribe().with(ignored -> {
        }, failure -> {
            if (stopped || synced) {
                return;
            }
            Duration next = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
            LOG.warnf("Agent registry not reachable yet (%s); retrying in %d ms", failure.getMessage(),
                    delay.toMillis());
            Uni.createFrom().voidItem().onItem().delayIt().by(delay).subscribe().with(v -> initialSync(next));
        });
    }

    /**
     * Asks for a refresh (coalesced: at most one in flight, one more queued). Never fails; errors are
     * logged and the current copy keeps serving.
     *
     * @param reason for the log, e.g. {@code event agent.updated}
     */
    public void requestRefresh(String reason) {
        if (!refreshing.compareAndSet(false, true)) {
            refreshAgain.set(true);
            return;
        }
        LOG.debugf("Refreshing agent cache (%s)", reason);
        // the events that arrived before this refresh started are applied when it succeeds
        List<Instant> covered = new ArrayList<>();
        for (Instant published; (published = pendingEvents.poll()) != null;) {
            covered.add(published);
        }
        refresh().onItemOrFailure().invoke((ignored, failure) -> {
            if (failure == null) {
                covered.forEach(published -> propagation.applied(EventPropagationMetrics.AGENTS, published));
            } else {
                pendingEvents.addAll(covered);
            }
        }).onTermination().invoke(() -> {
            refreshing.set(false);
            if (refreshAgain.getAndSet(false) && !stopped) {
                requestRefresh(reason + " (queued)");
            }
        }).subscribe().with(ignored -> {
        }, failure -> LOG.warnf("Agent cache refresh (%s) failed, keeping %d cached agents: %s", reason,
                agents.size(), failure.getMessage()));
    }

    /**
     * Like {@link #requestRefresh(String)} for an agent event published at {@code published}: once a refresh that
     * started after the event succeeds, the delay is recorded as {@code switchboard_event_propagation_seconds}.
     *
     * @param published the event's {@code timestamp}, or {@code null}
     */
    public void requestRefresh(String reason, Instant published) {
        if (published != null && pendingEvents.size() < MAX_PENDING_EVENTS) {
            pendingEvents.add(published);
        }
        requestRefresh(reason);
    }

    /** Fetches every agent and, when the active set changed, rebuilds the router index on a worker thread. */
    Uni<Void> refresh() {
        return registry.listAgents().chain(list -> {
            Map<String, AgentDescriptor> fresh = new TreeMap<>();
            for (RegistryAgent agent : list) {
                if (agent.name() != null) {
                    fresh.put(agent.name(), agent.toDescriptor());
                }
            }
            Map<String, AgentDescriptor> snapshot = Collections.unmodifiableMap(fresh);
            List<AgentProfile> profiles = profiles(snapshot);
            if (index != null && profiles.equals(indexedProfiles)) {
                publish(snapshot, index, profiles);
                return Uni.createFrom().voidItem();
            }
            return Uni.createFrom().item(() -> buildIndex(profiles))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .invoke(built -> publish(snapshot, built, profiles))
                    .replaceWithVoid();
        });
    }

    private RouterIndex buildIndex(List<AgentProfile> profiles) {
        long start = System.nanoTime();
        RouterIndex built = router.buildIndex(profiles);
        LOG.infof("Router index rebuilt for %d active agents %s in %d ms", profiles.size(), built.agentNames(),
                (System.nanoTime() - start) / 1_000_000);
        return built;
    }

    private void publish(Map<String, AgentDescriptor> snapshot, RouterIndex built, List<AgentProfile> profiles) {
        boolean changed = !snapshot.equals(agents);
        agents = snapshot;
        index = built;
        indexedProfiles = profiles;
        lastSync = Instant.now();
        if (!synced) {
            synced = true;
            LOG.infof("Agent cache synced: %d agents (%d active)", snapshot.size(), activeCount());
        } else if (changed) {
            LOG.infof("Agent cache updated: %d agents (%d active)", snapshot.size(), activeCount());
        }
    }

    /** Router profiles of the active agents, sorted by name; the configured default agent wins over is_default. */
    private List<AgentProfile> profiles(Map<String, AgentDescriptor> snapshot) {
        Optional<String> configuredDefault = config.routing().defaultAgent().filter(s -> !s.isBlank());
        return snapshot.values().stream()
                .filter(AgentDescriptor::isActive)
                .map(a -> new AgentProfile(a.name(), a.description(), a.examples(),
                        configuredDefault.map(a.name()::equals).orElse(a.isDefault())))
                .toList();
    }

    /** @return every cached agent (any status), sorted by name; empty before the first sync */
    public Map<String, AgentDescriptor> agents() {
        return agents;
    }

    /** @return the agent of that name, if cached */
    public Optional<AgentDescriptor> findAgent(String name) {
        return Optional.ofNullable(agents.get(name));
    }

    /** @return the router index over the active agents, empty before the first sync */
    public Optional<RouterIndex> routerIndex() {
        return Optional.ofNullable(index);
    }

    /** @return whether the first sync with the registry succeeded */
    public boolean isSynced() {
        return synced;
    }

    /** @return when the cache last synced successfully, or {@code null} */
    public Instant lastSync() {
        return lastSync;
    }

    /** @return number of active agents */
    public int activeCount() {
        return (int) agents.values().stream().filter(AgentDescriptor::isActive).count();
    }

    /**
     * The default agent: {@code supervisor.routing.default-agent} when set and active, else the registry's
     * active {@code is_default} agent.
     *
     * @return the default agent, if any
     */
    public Optional<AgentDescriptor> defaultAgent() {
        Optional<String> configured = config.routing().defaultAgent().filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            return findAgent(configured.get()).filter(AgentDescriptor::isActive);
        }
        return agents.values().stream().filter(AgentDescriptor::isActive).filter(AgentDescriptor::isDefault)
                .findFirst();
    }
}
