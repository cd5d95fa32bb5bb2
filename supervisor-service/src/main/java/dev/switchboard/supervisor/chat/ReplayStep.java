package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.peers.Session;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * A turn with an idempotency key whose turn id the loaded session already holds was stored by an earlier attempt of
 * the same request (on any replica, whose answer never reached the client): it is answered from the stored turn
 * record, and the pipeline skips routing, the agent and the write. Under the lease the loaded session is the current
 * one, so this is the check that makes a keyed turn run once even when Redis lost the key. A stored turn of the key
 * with another request's fingerprint fails with 422 {@code idempotency-key-reused}.
 */
@ApplicationScoped
class ReplayStep implements TurnStep {

    private static final Logger LOG = Logger.getLogger(ReplayStep.class);

    private final IdempotencyKeys keys;

    ReplayStep(IdempotencyKeys keys) {
        this.keys = keys;
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        if (turn.idempotency() == null) {
            return Uni.createFrom().item(turn);
        }
        return StoredAnswer.fromSession(turn.session(), turn.turnId())
                .map(answer -> {
                    String stored = storedFingerprint(turn.session(), turn.turnId());
                    if (stored != null && !turn.idempotency().sameRequest(stored)) {
                        keys.rejected("reused");
                        return Uni.createFrom().<Turn>failure(new IdempotencyKeyReusedException());
                    }
                    LOG.infof(
                            "Turn %s of session %s is already stored (idempotency key repeated); answering it again",
                            turn.turnId(), turn.sessionId());
                    keys.replayed("session");
                    return Uni.createFrom().item(turn.withReplay(answer));
                })
                .orElseGet(() -> Uni.createFrom().item(turn));
    }

    /** @return the request fingerprint the stored turn recorded ({@code metadata.idempotency.fingerprint}), or null */
    static String storedFingerprint(Session session, String turnId) {
        return session.turnsOrEmpty().stream()
                .filter(t -> turnId.equals(t.turnId()) && t.metadata() != null)
                .map(t -> t.metadata().get(PersistStep.IDEMPOTENCY))
                .filter(Map.class::isInstance)
                .map(m -> ((Map<?, ?>) m).get("fingerprint"))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .findFirst()
                .orElse(null);
    }
}
