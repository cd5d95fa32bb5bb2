package dev.switchboard.supervisor.erasure;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.switchboard.common.event.ChannelSubscription;
import dev.switchboard.supervisor.routing.CachingEmbeddingModel;
import dev.switchboard.supervisor.routing.RouterEmbedding;
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
 * each drops its in-memory snapshot of them ({@link SessionSnapshots}) and empties its router's embedding cache (keyed by
 * message text, {@link CachingEmbeddingModel}) at once, instead of keeping what the person wrote in memory until it
 * ages out. A replica that missed messages while its subscription was down drops all its snapshots and that cache too
 * (both are only shortcuts: the next turn loads the session from state-service and embeds its message again).
 */
@ApplicationScoped
public class ErasureEvents {

    /** The channel. */
    public static final String CHANNEL = SessionLeaseManager.PREFIX + "erased";

    private static final Logger LOG = Logger.getLogger(ErasureEvents.class);

    private final ReactiveRedisDataSource redis;
    private final ReactivePubSubCommands<String> pubsub;
    private final SessionSnapshots snapshots;
    private final EmbeddingModel embeddings;
    private volatile ChannelSubscription subscription;

    ErasureEvents(
            ReactiveRedisDataSource redis, SessionSnapshots snapshots, @RouterEmbedding EmbeddingModel embeddings) {
        this.redis = redis;
        this.pubsub = redis.pubsub(String.class);
        this.snapshots = snapshots;
        this.embeddings = embeddings;
    }

    void onStart(@Observes StartupEvent event) {
        subscription = ChannelSubscription.open(redis, CHANNEL, this::forget, this::forgetAll);
    }

    private void forget(String sessionId) {
        snapshots.forget(sessionId);
        forgetMessages();
    }

    private void forgetAll() {
        snapshots.forgetAll();
        forgetMessages();
    }

    private void forgetMessages() {
        if (embeddings instanceof CachingEmbeddingModel cached) {
            cached.cache().invalidateAll();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (subscription != null) {
            subscription.close();
        }
    }

    /** Drops this replica's snapshots of the sessions and tells the others; a failed publish is logged, not raised. */
    Uni<Void> erased(Collection<String> sessionIds) {
        sessionIds.forEach(this::forget);
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
