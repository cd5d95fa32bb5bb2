package dev.switchboard.state.store;

import dev.switchboard.common.lease.SessionLeaseKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads the supervisor's session leases (read only; the supervisor owns the keys, their names and format are
 * {@link SessionLeaseKeys}): the lease key while a lease is held, and the fence key, the token of the newest lease
 * granted, which outlives the lease.
 */
@ApplicationScoped
public class LeaseStore {

    private final ReactiveValueCommands<String, String> values;

    /** Builds the command group once. */
    public LeaseStore(ReactiveRedisDataSource redis) {
        this.values = redis.value(String.class, String.class);
    }

    /**
     * The token of the newest lease granted for the session: the higher of the current lease's token and the fence
     * key's, read in one {@code MGET} (one consistent view).
     *
     * @return the token, or empty when neither key exists (no lease was granted within the fence key's lifetime, or
     *         Redis was flushed); fails with the Redis client's failure (the caller bounds the wait)
     */
    public Uni<OptionalLong> findNewestLeaseToken(String sessionId) {
        String lease = SessionLeaseKeys.leaseKey(sessionId);
        String fence = SessionLeaseKeys.fenceKey(sessionId);
        return values.mget(lease, fence).map(found -> newest(found, lease, fence));
    }

    private static OptionalLong newest(Map<String, String> found, String lease, String fence) {
        OptionalLong held = SessionLeaseKeys.tokenOf(found.get(lease));
        OptionalLong granted = SessionLeaseKeys.tokenOf(found.get(fence));
        if (held.isEmpty()) {
            return granted;
        }
        if (granted.isEmpty()) {
            return held;
        }
        return OptionalLong.of(Math.max(held.getAsLong(), granted.getAsLong()));
    }
}
