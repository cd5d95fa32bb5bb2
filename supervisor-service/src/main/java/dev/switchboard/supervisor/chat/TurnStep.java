package dev.switchboard.supervisor.chat;

import io.smallrye.mutiny.Uni;

/** One step of the {@link TurnPipeline}: takes the turn as the previous step left it and adds its own finding. */
public interface TurnStep {

    /**
     * Runs this step.
     *
     * @return the turn with this step's finding; fails with the problem that ends the turn
     */
    Uni<Turn> apply(Turn turn);
}
