package dev.switchboard.supervisor.agents;

import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.ops.EventPropagationMetrics;
import dev.switchboard.supervisor.peers.AgentRegistryClient;
import dev.switchboard.supervisor.peers.RegistryAgent;
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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Local copy of every agent in agent-registry-service and the semantic {@link RouterIndex} built from the
 * active ones, published together as one snapshot (an agent that is listed and active is routable).
 * <p>
 * Fed two ways. An agent event that carries the agent ({@code snapshot}) is applied on its own: that one agent is
 * upserted or removed, and the index is rebuilt only when the active agents changed, embedding only texts not seen
 * before (the router caches embeddings by text). A full refresh ({@code GET /agents}) runs at start (retried in the
 * background until it succeeds; readiness is DOWN until then), every {@code supervisor.cache.registry-sync-interval},
 * and when an event cannot be applied on its own: a gap or reset in the event sequence, an event without the agent,
 * an event older than what is cached.
 * <p>
 * Every change goes through one queue drained by one worker thread at a time, so events and refreshes apply in
 * order, several queued events cost one index rebuild, and a refresh whose list was fetched before an event keeps
 * that event's newer state (per agent: created_at, then revision). When the routing head is in use (2 to 16 active
 * agents) an index rebuilt for a change first scores by similarity, and the head is trained in the background once
 * the active agents have stayed the same for a second, and swapped in if they still are; the first index is built
 * with its head.
 */
@ApplicationScoped
public class AgentCache {

    private static final Logger LOG = Logger.getLogger(AgentCache.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(15);
    /** Bound of the event timestamps waiting for a refresh (only for the propagation metric). */
    private static final int MAX_PENDING_EVENTS = 1000;
    /** Bound of the remembered deletions (a full refresh forgets them). */
    private static final int MAX_TOMBSTONES = 10_000;
    /** How long the active agents must stay the same before the routing head is trained in the background. */
    static final Duration HEAD_TRAINING_QUIET = Duration.ofSeconds(1);

    private final AgentRegistryClient registry;
    private final SemanticRouter router;
    private final SupervisorConfig config;
    private final EventPropagationMetrics propagation;
    /** Timestamps of agent events not yet covered by a successful refresh. */
    private final ConcurrentLinkedQueue<Instant> pendingEvents = new ConcurrentLinkedQueue<>();

    /** The published snapshot; {@code null} before the first sync. */
    private volatile State state;

    private volatile Instant lastSync;
    private volatile boolean stopped;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicBoolean refreshAgain = new AtomicBoolean();

    private final ConcurrentLinkedQueue<Change> changes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean training = new AtomicBoolean();
    /** Agent changes applied from events so far (a refresh notes it before fetching). */
    private final AtomicLong appliedEvents = new AtomicLong();
    // owned by the draining thread (handed over through the draining flag)
    private final Map<String, Long> touched = new HashMap<>();
    private final Map<String, Stamp> tombstones = new HashMap<>();
    private final List<Change> early = new ArrayList<>();

    AgentCache(
            AgentRegistryClient registry,
            SemanticRouter router,
            SupervisorConfig config,
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
    @Scheduled(
            every = "${supervisor.cache.registry-sync-interval:5s}",
            delayed = "${supervisor.cache.registry-sync-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodicSync() {
        requestRefresh("periodic");
    }

    /** First sync; on failure retried with backoff until it succeeds (startup never fails on it). */
    private void initialSync(Duration delay) {
        refresh().subscribe().with(ignored -> {}, failure -> {
            if (stopped || isSynced()) {
                return;
            }
            Duration next = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
            LOG.warnf(
                    "Agent registry not reachable yet (%s); retrying in %d ms", failure.getMessage(), delay.toMillis());
            Uni.createFrom().voidItem().onItem().delayIt().by(delay).subscribe().with(v -> initialSync(next));
        });
    }

    /**
     * Asks for a full refresh (coalesced: at most one in flight, one more queued). Never fails; errors are
     * logged and the current copy keeps serving.
     *
     * @param reason for the log, e.g. {@code gap before event agent.updated}
     */
    public void requestRefresh(String reason) {
        if (!refreshing.compareAndSet(false, true)) {
            refreshAgain.set(true);
            return;
        }
        LOG.debugf("Refreshing agent cache (%s)", reason);
        // the events that arrived before this refresh started are applied when it succeeds
        List<Instant> covered = new ArrayList<>();
        for (Instant published; (published = pendingEvents.poll()) != null; ) {
            covered.add(published);
        }
        refresh()
                .onItemOrFailure()
                .invoke((ignored, failure) -> {
                    if (failure == null) {
                        covered.forEach(published -> propagation.applied(EventPropagationMetrics.AGENTS, published));
                    } else {
                        pendingEvents.addAll(covered);
                    }
                })
                .onTermination()
                .invoke(() -> {
                    refreshing.set(false);
                    if (refreshAgain.getAndSet(false) && !stopped) {
                        requestRefresh(reason + " (queued)");
                    }
                })
                .subscribe()
                .with(
                        ignored -> {},
                        failure -> LOG.warnf(
                                "Agent cache refresh (%s) failed, keeping %d cached agents: %s",
                                reason, agents().size(), failure.getMessage()));
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

    /**
     * Applies an agent event that carries the agent after the change ({@code agent.registered}, {@code agent.updated},
     * {@code agent.status_changed}, {@code agent.rollout_changed}): upserts that agent unless the cache already holds
     * the same or a newer state of it; falls back to a full refresh when the order cannot be told. Returns at once;
     * the change is applied on a worker thread, and its delay since {@code published} is recorded once the agent is
     * listed and routable.
     *
     * @param agent     the event's {@code snapshot}
     * @param published the event's {@code timestamp}, or {@code null}
     */
    public void applyUpsert(RegistryAgent agent, Instant published) {
        enqueue(new Upsert(agent, published));
    }

    /**
     * Applies {@code agent.deleted}: removes the agent unless the cache holds a newer state of that name (then a full
     * refresh decides). Returns at once.
     *
     * @param name      the deleted agent
     * @param revision  its last revision
     * @param deleted   the deleted row when the event carries it (its {@code created_at} tells a re-created agent of
     *                  the same name apart), else {@code null}
     * @param published the event's {@code timestamp}, or {@code null}
     */
    public void applyDelete(String name, long revision, RegistryAgent deleted, Instant published) {
        String createdAt = deleted == null ? null : deleted.createdAt();
        enqueue(new Remove(name, new Stamp(parse(createdAt), revision), published));
    }

    /** Fetches every agent and applies the list (see the class comment); completes once it is published. */
    Uni<Void> refresh() {
        long since = appliedEvents.get();
        return registry.listAgents().chain(list -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            enqueue(new Replace(list, since, done));
            return Uni.createFrom().completionStage(done);
        });
    }

    // ---- the queue ----

    private void enqueue(Change change) {
        changes.add(change);
        if (draining.compareAndSet(false, true)) {
            Infrastructure.getDefaultWorkerPool().execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (!changes.isEmpty() && !stopped) {
                applyBatch();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Applying agent changes failed");
        } finally {
            draining.set(false);
            if (!changes.isEmpty() && !stopped && draining.compareAndSet(false, true)) {
                Infrastructure.getDefaultWorkerPool().execute(this::drain);
            }
        }
    }

    /** Applies every queued change, then rebuilds the index once (if the active agents changed) and publishes. */
    private void applyBatch() {
        long start = System.nanoTime();
        State before = state;
        Map<String, AgentDescriptor> agents = new TreeMap<>(before == null ? Map.of() : before.agents());
        Map<String, Stamp> stamps = new HashMap<>(before == null ? Map.of() : before.stamps());
        RouterIndex trained = null;
        List<AgentProfile> trainedFor = null;
        List<Instant> appliedAt = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        List<String> unsure = new ArrayList<>();
        boolean fullSync = false;
        List<Change> batch = new ArrayList<>(early);
        early.clear();
        for (Change change; (change = changes.poll()) != null; ) {
            batch.add(change);
        }
        for (Change change : batch) {
            switch (change) {
                case Upsert u -> {
                    if (upsert(agents, stamps, u.agent(), unsure)) {
                        appliedAt.add(u.published());
                    }
                }
                case Remove r -> {
                    if (remove(agents, stamps, r.name(), r.stamp(), unsure)) {
                        appliedAt.add(r.published());
                    }
                }
                case Replace r -> {
                    replace(agents, stamps, r.list(), r.since());
                    done.add(r.done());
                    fullSync = true;
                }
                case HeadTrained h -> {
                    trained = h.index();
                    trainedFor = h.profiles();
                }
            }
        }
        if (before == null && !fullSync) { // events before the first sync: applied with the first list
            batch.stream().filter(c -> !(c instanceof HeadTrained)).forEach(early::add);
            if (early.size() > MAX_TOMBSTONES) { // the first list covers what they said
                early.clear();
            }
            return;
        }
        List<AgentProfile> profiles = profiles(agents);
        boolean sameProfiles = before != null && profiles.equals(before.profiles());
        if (sameProfiles) {
            profiles = before.profiles(); // the same instance: a background training checks it by identity
        }
        RouterIndex index;
        try {
            if (sameProfiles) {
                index = profiles.equals(trainedFor) ? trained : before.index();
            } else {
                index = buildIndex(profiles, before == null);
            }
        } catch (RuntimeException e) { // embedding failed: keep serving the previous snapshot until the next sync
            LOG.warnf("Router index rebuild failed, keeping the previous agents: %s", e.getMessage());
            done.forEach(f -> f.completeExceptionally(e));
            return;
        }
        boolean headPending = !hasHead(index, profiles);
        Map<String, AgentDescriptor> snapshot = Collections.unmodifiableMap(agents);
        boolean changed = before == null || !snapshot.equals(before.agents());
        state = new State(
                snapshot,
                Map.copyOf(stamps),
                index,
                profiles,
                sameProfiles ? before.profilesSince() : System.nanoTime(),
                headPending);
        lastSync = Instant.now();
        if (before == null) {
            LOG.infof("Agent cache synced: %d agents (%d active)", snapshot.size(), activeCount());
        } else if (changed) {
            LOG.debugf(
                    "Agent cache updated: %d agents (%d active), %d change(s) applied in %d ms",
                    snapshot.size(), activeCount(), batch.size(), (System.nanoTime() - start) / 1_000_000);
        }
        appliedAt.forEach(published -> propagation.applied(EventPropagationMetrics.AGENTS, published));
        done.forEach(f -> f.complete(null));
        if (!unsure.isEmpty()) {
            requestRefresh("out-of-order event for " + String.join(", ", unsure));
        }
        if (headPending) {
            trainHeadWhenQuiet();
        }
    }

    private boolean upsert(
            Map<String, AgentDescriptor> agents, Map<String, Stamp> stamps, RegistryAgent agent, List<String> unsure) {
        String name = agent.name();
        Stamp stamp = stampOf(agent);
        Stamp current = stamps.get(name);
        if (current == null) {
            Stamp deleted = tombstones.get(name);
            if (deleted != null && !stamp.newerThan(deleted)) {
                unsure.add(name); // a change from before a deletion, or a re-creation: the list tells
                return false;
            }
        } else if (!stamp.newerThan(current)) {
            if (!current.sameIncarnation(stamp)) {
                unsure.add(name);
            }
            return false; // already applied (or older)
        }
        agents.put(name, agent.toDescriptor());
        stamps.put(name, stamp);
        tombstones.remove(name);
        touched.put(name, appliedEvents.incrementAndGet());
        return true;
    }

    private boolean remove(
            Map<String, AgentDescriptor> agents,
            Map<String, Stamp> stamps,
            String name,
            Stamp deleted,
            List<String> unsure) {
        Stamp current = stamps.get(name);
        if (tombstones.size() >= MAX_TOMBSTONES) {
            tombstones.clear();
        }
        tombstones.put(name, deleted);
        if (current == null) {
            touched.put(name, appliedEvents.incrementAndGet());
            return true;
        }
        if (current.newerIncarnationThan(deleted)
                || (current.sameIncarnation(deleted) || deleted.createdAt() == null)
                        && current.revision() > deleted.revision()) {
            unsure.add(name); // the cache holds something newer than what was deleted
            return false;
        }
        agents.remove(name);
        stamps.remove(name);
        touched.put(name, appliedEvents.incrementAndGet());
        return true;
    }

    /** The list is the truth, except for agents an event changed after the list was requested (newer stays). */
    private void replace(
            Map<String, AgentDescriptor> agents, Map<String, Stamp> stamps, List<RegistryAgent> list, long since) {
        Map<String, AgentDescriptor> fresh = new TreeMap<>();
        Map<String, Stamp> freshStamps = new HashMap<>();
        for (RegistryAgent agent : list) {
            if (agent.name() != null) {
                fresh.put(agent.name(), agent.toDescriptor());
                freshStamps.put(agent.name(), stampOf(agent));
            }
        }
        touched.forEach((name, at) -> {
            if (at <= since) {
                return;
            }
            Stamp current = stamps.get(name);
            Stamp listed = freshStamps.get(name);
            if (current == null) { // deleted by an event after the list was requested
                if (listed == null || !listed.newerIncarnationThan(tombstones.getOrDefault(name, listed))) {
                    fresh.remove(name);
                    freshStamps.remove(name);
                }
            } else if (listed == null || current.newerThan(listed)) {
                fresh.put(name, agents.get(name));
                freshStamps.put(name, current);
            }
        });
        touched.values().removeIf(at -> at <= since);
        tombstones.keySet().removeIf(name -> !touched.containsKey(name));
        agents.clear();
        agents.putAll(fresh);
        stamps.clear();
        stamps.putAll(freshStamps);
    }

    private RouterIndex buildIndex(List<AgentProfile> profiles, boolean withHead) {
        long start = System.nanoTime();
        RouterIndex built = router.buildIndex(profiles, withHead);
        LOG.debugf(
                "Router index rebuilt for %d active agents in %d ms",
                profiles.size(), (System.nanoTime() - start) / 1_000_000);
        return built;
    }

    private static boolean hasHead(RouterIndex index, List<AgentProfile> profiles) {
        return !SemanticRouter.trainsHead(profiles.size()) || index.hasHead();
    }

    /**
     * Trains the head in the background once the active agents have not changed for {@link #HEAD_TRAINING_QUIET}
     * (a burst of registrations passes through 2-16 agents without a training each time); one training at a time,
     * abandoned as soon as the agents change again.
     */
    private void trainHeadWhenQuiet() {
        if (!training.compareAndSet(false, true)) {
            return;
        }
        Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(HEAD_TRAINING_QUIET)
                .subscribe()
                .with(v -> Infrastructure.getDefaultWorkerPool().execute(this::trainHeadIfQuiet));
    }

    private void trainHeadIfQuiet() {
        State current = state;
        boolean again = false;
        try {
            if (current == null || !current.headPending() || stopped) {
                return;
            }
            if (System.nanoTime() - current.profilesSince() < HEAD_TRAINING_QUIET.toNanos()) {
                again = true; // changed meanwhile: wait for the next quiet period
                return;
            }
            List<AgentProfile> profiles = current.profiles();
            long start = System.nanoTime();
            RouterIndex index = router.buildIndex(profiles, () -> stopped || state.profiles() != profiles);
            LOG.infof(
                    "Router head trained in the background for %d active agents in %d ms",
                    profiles.size(), (System.nanoTime() - start) / 1_000_000);
            enqueue(new HeadTrained(profiles, index));
        } catch (java.util.concurrent.CancellationException e) {
            LOG.debugf("Background router head training abandoned: the active agents changed");
            again = true;
        } catch (RuntimeException e) {
            LOG.warnf(e, "Background router head training failed (similarity routing keeps serving)");
        } finally {
            training.set(false);
            if (again && !stopped) {
                trainHeadWhenQuiet();
            }
        }
    }

    /** Router profiles of the active agents, sorted by name; the configured default agent wins over is_default. */
    private List<AgentProfile> profiles(Map<String, AgentDescriptor> snapshot) {
        Optional<String> configuredDefault = config.routing().defaultAgent().filter(s -> !s.isBlank());
        return snapshot.values().stream()
                .filter(AgentDescriptor::isActive)
                .map(a -> new AgentProfile(
                        a.name(),
                        a.description(),
                        a.examples(),
                        configuredDefault.map(a.name()::equals).orElse(a.isDefault())))
                .toList();
    }

    // ---- reads ----

    /** @return every cached agent (any status), sorted by name; empty before the first sync */
    public Map<String, AgentDescriptor> agents() {
        State current = state;
        return current == null ? Map.of() : current.agents();
    }

    /** @return the agent of that name, if cached */
    public Optional<AgentDescriptor> findAgent(String name) {
        return Optional.ofNullable(agents().get(name));
    }

    /** @return the router index over the active agents, empty before the first sync */
    public Optional<RouterIndex> routerIndex() {
        State current = state;
        return current == null ? Optional.empty() : Optional.of(current.index());
    }

    /** @return whether the first sync with the registry succeeded */
    public boolean isSynced() {
        return state != null;
    }

    /** @return when the cache was last updated from the registry (list or event), or {@code null} */
    public Instant lastSync() {
        return lastSync;
    }

    /** @return number of active agents */
    public int activeCount() {
        return (int)
                agents().values().stream().filter(AgentDescriptor::isActive).count();
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
        return agents().values().stream()
                .filter(AgentDescriptor::isActive)
                .filter(AgentDescriptor::isDefault)
                .findFirst();
    }

    // ---- types ----

    private static Stamp stampOf(RegistryAgent agent) {
        return new Stamp(parse(agent.createdAt()), agent.revision() == null ? 0 : agent.revision());
    }

    private static Instant parse(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Which state of an agent: its row's creation time (tells a re-created agent of the same name apart) and its
     * revision (grows by one per change of that row).
     */
    record Stamp(Instant createdAt, long revision) {

        boolean sameIncarnation(Stamp other) {
            return createdAt != null && createdAt.equals(other.createdAt);
        }

        boolean newerIncarnationThan(Stamp other) {
            return createdAt != null && other.createdAt != null && createdAt.isAfter(other.createdAt);
        }

        /** Same row and a higher revision, or a later row; unknown creation times compare by revision. */
        boolean newerThan(Stamp other) {
            if (newerIncarnationThan(other)) {
                return true;
            }
            boolean comparable = sameIncarnation(other) || createdAt == null || other.createdAt == null;
            return comparable && revision > other.revision;
        }
    }

    /** What readers see: the agents and the index over the active ones, swapped together. */
    private record State(
            Map<String, AgentDescriptor> agents,
            Map<String, Stamp> stamps,
            RouterIndex index,
            List<AgentProfile> profiles,
            long profilesSince,
            boolean headPending) {}

    private sealed interface Change permits Upsert, Remove, Replace, HeadTrained {}

    private record Upsert(RegistryAgent agent, Instant published) implements Change {}

    private record Remove(String name, Stamp stamp, Instant published) implements Change {}

    private record Replace(List<RegistryAgent> list, long since, CompletableFuture<Void> done) implements Change {}

    private record HeadTrained(List<AgentProfile> profiles, RouterIndex index) implements Change {}
}
