package dev.switchboard.supervisor.erasure;

import dev.switchboard.common.event.ChannelSubscription;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import dev.switchboard.supervisor.sessions.SessionSnapshots;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import org.jboss.logging.Logger;

/**
 * Tells every replica which sessions were erased, on channel {@code sb:supervisor:erased} (payload: a session id), so
 * each drops its in-memory snapshot of them ({@link SessionSnapshots}) at once instead of keeping their messages in
 * memory until they age out. A replica that missed messages while its subscription was down drops all its snapshots
 * (they are only a shortcut: the next turn loads the session from state-service).
 */
@ApplicationScoped
public class ErasureEvents {

    /** The channel. */
    public static final String CHANNEL = SessionLeaseManager.PREFIX + "erased";

    private static final Logger LOG = Logger.getLogger(ErasureEvents.class);

    private final ReactiveRedisDataSource redis;
    private final ReactivePubSubCommands<String> pubsub;
    private final SessionSnapshots snapshots;
    private volatile ChannelSubscription subscription;

    ErasureEvents(ReactiveRedisDataSource redis, SessionSnapshots snapshots) {
        this.redis = redis;
        this.pubsub = redis.pubsub(String.class);
        this.snapshots = snapshots;
    }

    void onStart(@Observes StartupEvent event) {
        subscription = ChannelSubscription.open(redis, CHANNEL, snapshots::forget, snapshots::forgetAll);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (subscription != null) {
            subscription.close();
        }
    }

    /** Drops this replica's snapshots of the sessions and tells the others; a failed publish is logged, not raised. */
    Uni<Void> erased(Collection<String> sessionIds) {
        sessionIds.forEach(snapshots::forget);
        return Multi.createFrom()
                .iterable(sessionIds)
                .onItem()
                .transformToUniAndConcatenate(id -> pubsub.publish(CHANNEL, id))
                .collect()
                .last()
                .onFailure()
                .invoke(f -> LOG.warnf(
                        "Could not tell the other replicas about an erasure (their snapshots age out): %s",
                        f.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
