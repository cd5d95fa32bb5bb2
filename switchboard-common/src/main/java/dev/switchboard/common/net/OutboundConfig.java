package dev.switchboard.common.net;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * Where agents may live ({@code switchboard.outbound.*}; the environment name is mapped once in
 * {@code META-INF/microprofile-config.properties}, so the registry and the supervisors read the same variable).
 */
@ConfigMapping(prefix = "switchboard.outbound")
public interface OutboundConfig {

    /**
     * {@code AGENT_URL_ALLOW}: comma-separated CIDRs ({@code 10.0.0.0/8}, {@code fd00::/8}), single addresses and/or
     * host names that agent and agent-card URLs may reach besides public addresses: loopback and private addresses
     * are refused unless listed here. Empty (the default) = public addresses only. Link-local, cloud metadata and
     * unspecified addresses are refused whatever this says.
     */
    Optional<List<String>> agentUrlAllow();
}
