package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.routing.RoutingService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Chooses the agent: the one the client named, else the router's choice (see {@link RoutingService#route}). */
@ApplicationScoped
class RouteStep implements TurnStep {

    private final RoutingService routing;

    RouteStep(RoutingService routing) {
        this.routing = routing;
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        return routing.route(turn.request().message(), turn.request().agent()).map(turn::withDecision);
    }
}
