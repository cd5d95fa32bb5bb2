package dev.switchboard.supervisor.rollout;

import dev.switchboard.supervisor.agents.AgentDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Pure weighted choice of an agent version for a session: the session id and agent name hash to a bucket 0..99;
 * the canaries (sorted by version) take consecutive ranges of their weight, the stable version the rest. The same
 * session therefore lands on the same version for as long as the weights stay (the Redis assignment keeps it sticky
 * beyond that).
 */
public final class VersionPicker {

    private VersionPicker() {}

    /**
     * @param agent    the agent with its canaries
     * @param session  the session id
     * @param excluded canary versions this replica has rolled back (treated as weight 0)
     * @return the chosen version string (the stable one is {@code agent.version()})
     */
    public static String pick(AgentDescriptor agent, String session, Set<String> excluded) {
        int bucket = bucket(session + "\u0000" + agent.name());
        int upper = 0;
        List<AgentDescriptor.Version> canaries = agent.versionsOrEmpty().stream()
                .sorted(Comparator.comparing(AgentDescriptor.Version::version))
                .toList();
        for (AgentDescriptor.Version canary : canaries) {
            if (canary.weight() <= 0 || excluded.contains(canary.version())) {
                continue;
            }
            upper += canary.weight();
            if (bucket < upper) {
                return canary.version();
            }
        }
        return agent.version();
    }

    /** @return a stable bucket 0..99 of {@code key} */
    static int bucket(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }
}
