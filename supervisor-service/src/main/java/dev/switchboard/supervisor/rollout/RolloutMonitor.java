package dev.switchboard.supervisor.rollout;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.agents.AgentDescriptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Automatic rollback (a canary that breaks a trigger is taken out at once), per agent version over a sliding window of
 * {@code rollout.window}: when a canary has at least {@code rollout.min-samples} turns in the window and its error
 * rate is above {@code rollout.max-error-rate} (5 %) or its p95 latency above {@code rollout.max-p95} (3 s), this
 * replica stops assigning it at once, asks the registry for weight 0 ({@code POST /agents/{name}/rollback}: one
 * {@code agent.rollout_changed} event however many replicas trip), logs a WARN line, counts
 * {@code switchboard_rollout_rollbacks_total{agent,version,trigger}} and refreshes its agent cache. Turns are counted
 * per version in {@code switchboard_agent_version_turns_total{agent,version,outcome}}. Windows are per replica
 * (each sees its own share of the traffic); a window holds at most 5,000 turns.
 */
@ApplicationScoped
public class RolloutMonitor {

    private static final Logger LOG = Logger.getLogger(RolloutMonitor.class);
    private static final int MAX_SAMPLES = 5000;

    private final RolloutConfig config;
    private final RolloutClient registry;
    private final AgentCache cache;
    private final MeterRegistry meters;
    /**
     * Agents and versions tracked at most: they come from registrations, so made-up ones evict the least used
     * entries instead of growing memory.
     */
    static final int MAX_TRACKED = 1000;

    private final Map<String, Window> windows = bounded();
    /**
     * agent name → canary versions this replica rolled back → whether the registry has since shown weight 0 (then
     * traffic there again means an operator rolled it forward, and the local rollback is forgotten).
     */
    private final Map<String, Map<String, Boolean>> rolledBack = bounded();

    RolloutMonitor(RolloutConfig config, RolloutClient registry, AgentCache cache, MeterRegistry meters) {
        this.config = config;
        this.registry = registry;
        this.cache = cache;
        this.meters = meters;
    }

    /**
     * What a window shows.
     *
     * @param samples   turns in the window
     * @param errorRate failed turns / turns
     * @param p95       95th percentile latency
     */
    public record Health(int samples, double errorRate, Duration p95) {}

    private record Sample(long at, long nanos, boolean ok) {}

    private final class Window {
        final ArrayDeque<Sample> samples = new ArrayDeque<>();

        synchronized Health add(Sample sample) {
            samples.addLast(sample);
            long oldest = sample.at() - config.window().toNanos();
            while (!samples.isEmpty() && (samples.peekFirst().at() < oldest || samples.size() > MAX_SAMPLES)) {
                samples.removeFirst();
            }
            int n = samples.size();
            long errors = samples.stream().filter(s -> !s.ok()).count();
            long[] nanos = samples.stream().mapToLong(Sample::nanos).toArray();
            Arrays.sort(nanos);
            long p95 = nanos[Math.max(0, (int) Math.ceil(n * 0.95) - 1)];
            return new Health(n, (double) errors / n, Duration.ofNanos(p95));
        }

        synchronized void clear() {
            samples.clear();
        }
    }

    /** @return canary versions of {@code agent} this replica has rolled back and no longer assigns */
    public Set<String> rolledBack(String agent) {
        Map<String, Boolean> versions = rolledBack.get(agent);
        return versions == null ? Set.of() : Set.copyOf(versions.keySet());
    }

    /**
     * Records one turn of {@code agent} at {@code version} and, for a canary, evaluates the triggers.
     *
     * @param canary whether {@code version} is a canary (only canaries are rolled back)
     * @param nanos  the turn's agent execution time
     * @param ok     whether the agent answered
     * @return the trigger that fired for this turn, if any
     */
    public Optional<String> record(String agent, String version, boolean canary, long nanos, boolean ok) {
        Counter.builder("switchboard.agent.version.turns")
                .description("Agent turns per version and outcome")
                .tag("agent", agent)
                .tag("version", version)
                .tag("outcome", ok ? "ok" : "error")
                .register(meters)
                .increment();
        if (!canary || !config.autoRollback() || rolledBack(agent).contains(version)) {
            return Optional.empty();
        }
        Window window = windows.computeIfAbsent(agent + "@" + version, k -> new Window());
        Health health = window.add(new Sample(System.nanoTime(), nanos, ok));
        Optional<String> trigger = trigger(health);
        trigger.ifPresent(reason -> {
            window.clear();
            rollBack(agent, version, reason, health);
        });
        return trigger;
    }

    /** @return the rollback trigger the window's health breaks, if any (needs {@code min-samples} turns) */
    Optional<String> trigger(Health health) {
        if (health.samples() < config.minSamples()) {
            return Optional.empty();
        }
        if (health.errorRate() > config.maxErrorRate()) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "error_rate %.3f > %.3f over %d turns",
                    health.errorRate(),
                    config.maxErrorRate(),
                    health.samples()));
        }
        if (health.p95().compareTo(config.maxP95()) > 0) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "p95 %d ms > %d ms over %d turns",
                    health.p95().toMillis(),
                    config.maxP95().toMillis(),
                    health.samples()));
        }
        return Optional.empty();
    }

    private void rollBack(String agent, String version, String reason, Health health) {
        rolledBack.computeIfAbsent(agent, k -> bounded()).put(version, false);
        String trigger = reason.startsWith("error_rate") ? "error_rate" : "p95_latency";
        Counter.builder("switchboard.rollout.rollbacks")
                .description("Automatic canary rollbacks by trigger")
                .tag("agent", agent)
                .tag("version", version)
                .tag("trigger", trigger)
                .register(meters)
                .increment();
        LOG.warnf("Automatic rollback of agent %s version %s: %s (rollback trigger)", agent, version, reason);
        registry.rollback(agent, version, reason)
                .subscribe()
                .with(
                        ignored -> cache.requestRefresh("rollback " + agent + "@" + version),
                        failure -> LOG.errorf(
                                "Registry did not accept the rollback of %s version %s (%s); this replica"
                                        + " keeps it at weight 0",
                                agent, version, failure.getMessage()));
    }

    /**
     * Reconciles local rollbacks with the registry's view of {@code agent}: a rolled-back canary the registry shows
     * at weight 0 is confirmed; a confirmed one with traffic again (an operator rolled it forward) is assigned again.
     */
    public void observe(AgentDescriptor agent) {
        Map<String, Boolean> versions = rolledBack.get(agent.name());
        if (versions == null || versions.isEmpty()) {
            return;
        }
        versions.forEach((version, confirmed) -> {
            int weight = agent.versionsOrEmpty().stream()
                    .filter(v -> v.version().equals(version))
                    .mapToInt(AgentDescriptor.Version::weight)
                    .findFirst()
                    .orElse(0);
            if (weight == 0 && !confirmed) {
                versions.put(version, true);
            } else if (weight > 0 && confirmed) {
                versions.remove(version);
                LOG.infof(
                        "Agent %s version %s has traffic again (%d %%); assigning it again",
                        agent.name(), version, weight);
            }
        });
    }

    /** @return a concurrent map that keeps at most {@link #MAX_TRACKED} entries, evicting the least used */
    private static <K, V> Map<K, V> bounded() {
        return Caffeine.newBuilder().maximumSize(MAX_TRACKED).<K, V>build().asMap();
    }
}
