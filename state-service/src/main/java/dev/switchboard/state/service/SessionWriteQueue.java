package dev.switchboard.state.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the writes of one session one after another within this instance, so parallel requests for the
 * same session do not all race for the same version. This only avoids needless conflicts: correctness across
 * instances comes from the unique (thread_id, version) constraint in PostgreSQL.
 */
@ApplicationScoped
public class SessionWriteQueue {

    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /**
     * Subscribes to {@code write} once every earlier write of the same session (in this instance) ended.
     *
     * @param sessionId the session
     * @param write     the write, created lazily
     * @return the write's outcome
     */
    public <T> Uni<T> enqueue(String sessionId, Supplier<Uni<T>> write) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<Void> previous = tails.put(sessionId, done);
            Uni<Void> ourTurn = previous == null
                    ? Uni.createFrom().voidItem()
                    : resumeOn(
                            Vertx.currentContext(),
                            Uni.createFrom().completionStage(previous.handle((ignored, failure) -> (Void) null)));
            return ourTurn.chain(write::get).onTermination().invoke(() -> {
                done.complete(null);
                tails.remove(sessionId, done);
            });
        });
    }

    /** Continues on the caller's Vert.x context rather than on the thread that finished the previous write. */
    private static Uni<Void> resumeOn(Context context, Uni<Void> uni) {
        return context == null ? uni : uni.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }
}
