package dev.switchboard.supervisor.api;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.OpenApiContract;
import dev.switchboard.common.test.ProblemTable;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** /q/openapi documents every endpoint and problem type of supervisor-service; its README lists the catalogue. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class OpenApiTest {

    @Test
    void documentsEveryEndpointAndProblemType() {
        OpenApiContract.assertComplete(SupervisorProblem.values());
    }

    @Test
    void readmeListsEveryProblemType() {
        ProblemTable.assertListsCatalogue(Path.of("README.md"), SupervisorProblem.values());
    }
}
