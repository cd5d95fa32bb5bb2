package dev.switchboard.supervisor.testing;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Before each {@code @QuarkusTest} method (ServiceLoader,
 * {@code META-INF/services/io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback}), closes every named circuit
 * breaker (one per guarded call of the peer and GoHighLevel clients, {@code <peer>:<call>}, built by
 * {@code peers.PeerPolicy}) and empties their rolling windows. All test classes share one Quarkus app and so these breakers: without this, failures
 * provoked by one test (a peer answering 500, GHL down) leave a breaker open, or a few failures short of opening,
 * for whichever test runs next, and results depend on the order of the classes.
 *
 * <p>The per-agent breakers of {@code AgentGuards} are programmatic and unnamed, which
 * {@link CircuitBreakerMaintenance} does not reach; they are keyed by agent name and version, and every test that
 * calls a remote or A2A agent gives it a name of its own, so no test sees another's agent breaker.
 */
public class ClosedBreakersCallback implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            return;
        }
        CircuitBreakerMaintenance breakers =
                container.instance(CircuitBreakerMaintenance.class).get();
        if (breakers != null) {
            breakers.resetAll();
        }
    }
}
