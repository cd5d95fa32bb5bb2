package dev.switchboard.prompts.rest;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.OpenApiContract;
import dev.switchboard.common.test.ProblemTable;
import dev.switchboard.prompts.PromptProblem;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** /q/openapi documents every endpoint and problem type of prompt-service; its README lists the catalogue. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class OpenApiTest {

    @Test
    void documentsEveryEndpointAndProblemType() {
        OpenApiContract.assertComplete(PromptProblem.values());
    }

    @Test
    void readmeListsEveryProblemType() {
        ProblemTable.assertListsCatalogue(Path.of("README.md"), PromptProblem.values());
    }
}
