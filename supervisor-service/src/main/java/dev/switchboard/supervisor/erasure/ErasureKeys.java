package dev.switchboard.supervisor.erasure;

import dev.switchboard.supervisor.auth.LoginThrottle;
import dev.switchboard.supervisor.chat.RateLimiter;
import dev.switchboard.supervisor.rollout.VersionAssignments;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The supervisor's Redis keys of a person: per session its lease, fencing token, waiting queue
 * ({@link SessionLeaseManager}) and canary assignments ({@link VersionAssignments}, one key per agent, found by
 * {@code SCAN}); per user (or contact: its turns run as the contact id) its rate-limit bucket ({@link RateLimiter}) and
 * its failed-login counters ({@link LoginThrottle}, found by {@code SCAN}).
 * Refresh-token keys name only token ids, and the embedding cache only hashes of agent texts: nothing of a person.
 */
@ApplicationScoped
public class ErasureKeys {

    private static final int SCAN_COUNT = 1000;

    private final ReactiveKeyCommands<String> keys;

    ErasureKeys(ReactiveRedisDataSource redis) {
        this.keys = redis.key(String.class);
    }

    /**
     * Deletes the keys of these sessions and of this user.
     *
     * @param userId     the user (or contact id), or {@code null}
     * @param sessionIds the sessions
     * @return the number of keys deleted
     */
    public Uni<Integer> delete(String userId, Collection<String> sessionIds) {
        Set<String> direct = new LinkedHashSet<>();
        for (String session : sessionIds) {
            direct.add(SessionLeaseManager.leaseKey(session));
            direct.add(SessionLeaseManager.fenceKey(session));
            direct.add(SessionLeaseManager.waitersKey(session));
            direct.add(SessionLeaseManager.waitersSeenKey(session));
            // the rate-limit bucket of a turn without a user is its session's
            direct.add(RateLimiter.KEY_PREFIX + session);
        }
        if (userId != null) {
            direct.add(RateLimiter.KEY_PREFIX + userId);
        }
        List<String> prefixes = sessionIds.stream()
                .map(s -> VersionAssignments.PREFIX + s + ":")
                .toList();
        // ids match [A-Za-z0-9._:-]: no glob character needs escaping in a MATCH pattern
        Uni<List<String>> rollouts = prefixes.isEmpty()
                ? Uni.createFrom().item(List.of())
                : scan(VersionAssignments.PREFIX + "*", key -> prefixes.stream().anyMatch(key::startsWith));
        Uni<List<String>> logins = userId == null
                ? Uni.createFrom().item(List.of())
                : scan(LoginThrottle.pairKeysPattern(userId), key -> LoginThrottle.isPairKeyOf(key, userId));
        return Uni.combine().all().unis(rollouts, logins).asTuple().chain(found -> {
            List<String> all = new ArrayList<>(direct);
            all.addAll(found.getItem1());
            all.addAll(found.getItem2());
            return keys.del(all.toArray(String[]::new));
        });
    }

    private Uni<List<String>> scan(String pattern, java.util.function.Predicate<String> keep) {
        return keys.scan(new KeyScanArgs().match(pattern).count(SCAN_COUNT))
                .toMulti()
                .select()
                .where(keep)
                .collect()
                .asList();
    }
}
