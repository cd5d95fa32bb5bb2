package dev.switchboard.supervisor.rollout;

import dev.switchboard.supervisor.agents.AgentDescriptor;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Sticky version assignment: the version a session uses for an agent is kept in Redis
 * ({@code sb:supervisor:rollout:<session>:<agent>}, TTL {@code rollout.assignment-ttl} = the session TTL, refreshed
 * on use), so every replica sends the session's turns to the same version. A session keeps its version while that
 * version still has traffic; once it is rolled back (weight 0), removed or promoted away, the session is assigned
 * again by weight. Agents without canaries never touch Redis. Writes are safe without a script because a session
 * is worked on by one replica at a time (the session lease).
 */
@ApplicationScoped
public class VersionAssignments {

    /** Prefix of the assignment keys. */
    public static final String PREFIX = "sb:supervisor:rollout:";

    private static final Logger LOG = Logger.getLogger(VersionAssignments.class);

    private final ReactiveValueCommands<String, String> values;
    private final long ttlSeconds;

    VersionAssignments(ReactiveRedisDataSource redis, RolloutConfig config) {
        this.values = redis.value(String.class, String.class);
        this.ttlSeconds = Math.max(1, config.assignmentTtl().toSeconds());
    }

    /** @return the Redis key of a session's assignment for an agent */
    public static String key(String session, String agent) {
        return PREFIX + session + ":" + agent;
    }

    /**
     * The agent as the session's assigned version runs it.
     *
     * @param agent    the routed agent (the stable version, with its canaries)
     * @param session  the session id
     * @param excluded canaries this replica rolled back and the registry may not have announced yet
     * @return {@code agent} itself for the stable version, else {@link AgentDescriptor#asVersion} of the canary.
     *         A Redis failure falls back to the hash choice (still deterministic per session), never fails the turn.
     */
    public Uni<AgentDescriptor> resolve(AgentDescriptor agent, String session, Set<String> excluded) {
        if (agent.versionsOrEmpty().isEmpty() || session == null) {
            return Uni.createFrom().item(agent);
        }
        String key = key(session, agent.name());
        return values.get(key)
                .chain(current -> {
                    if (current != null && usable(agent, current, excluded)) {
                        return values.set(key, current, new SetArgs().ex(ttlSeconds))
                                .replaceWith(current);
                    }
                    String chosen = VersionPicker.pick(agent, session, excluded);
                    return values.set(key, chosen, new SetArgs().ex(ttlSeconds)).replaceWith(chosen);
                })
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf(
                            "Version assignment of session %s for %s not stored (%s); using the hash choice",
                            session, agent.name(), e.getMessage());
                    return VersionPicker.pick(agent, session, excluded);
                })
                .map(version -> runAs(agent, version));
    }

    private static boolean usable(AgentDescriptor agent, String version, Set<String> excluded) {
        if (version.equals(agent.version())) {
            return true;
        }
        return agent.versionsOrEmpty().stream()
                .anyMatch(v -> v.version().equals(version) && v.weight() > 0 && !excluded.contains(version));
    }

    private static AgentDescriptor runAs(AgentDescriptor agent, String version) {
        Optional<AgentDescriptor.Version> canary = agent.versionsOrEmpty().stream()
                .filter(v -> v.version().equals(version))
                .findFirst();
        return canary.map(agent::asVersion).orElse(agent);
    }
}
