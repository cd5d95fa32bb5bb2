package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.peers.Session;
import dev.switchboard.supervisor.peers.SessionNotFoundException;
import dev.switchboard.supervisor.peers.StaleFencingTokenException;
import dev.switchboard.supervisor.peers.StateClient;
import dev.switchboard.supervisor.sessions.LeaseLostException;
import dev.switchboard.supervisor.sessions.SessionSnapshots;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Loads the session under the lease: this replica's own snapshot when it wrote the session's previous turn, an empty
 * unsaved session when the client named none (its first turn will start it: see {@link PersistStep}), in both cases
 * without a state-service call; else state-service's copy, created when it does not exist. A session derived from an
 * idempotency key is read from state-service (an earlier attempt may have started it), and is unsaved when absent.
 */
@ApplicationScoped
class LoadSessionStep implements TurnStep {

    private final SessionSnapshots snapshots;
    private final StateClient state;

    LoadSessionStep(SessionSnapshots snapshots, StateClient state) {
        this.snapshots = snapshots;
        this.state = state;
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        if (turn.newSession()) {
            return Uni.createFrom().item(turn.withSession(Session.unsaved(turn.sessionId(), turn.userId())));
        }
        return snapshots
                .current(turn.lease(), turn.userId())
                .map(s -> Uni.createFrom().item(s))
                .orElseGet(() -> turn.derivedSession()
                        ? state.findSession(turn.sessionId())
                                .onFailure(SessionNotFoundException.class)
                                .recoverWithItem(() -> Session.unsaved(turn.sessionId(), turn.userId()))
                        : state.openSession(
                                        turn.sessionId(),
                                        turn.userId(),
                                        turn.lease().token())
                                // the session or its user was erased after this turn's lease was taken
                                .onFailure(StaleFencingTokenException.class)
                                .transform(stale -> new LeaseLostException(turn.sessionId())))
                .map(turn::withSession);
    }
}
