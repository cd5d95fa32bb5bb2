package dev.switchboard.common.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProblemTableTest {

    @TempDir
    Path dir;

    @Test
    void readsOnlyTheProblemTypesTablePairingSlugsWithStatuses() throws IOException {
        Path readme = Files.writeString(dir.resolve("README.md"), """
                ## Endpoints
                | `GET /x` | 200 | `not-a-type` |
                ## Problem types
                | slug | status | when |
                |---|---|---|
                | `version-conflict` | 412 | stale `If-Match` |
                | `not-found`, `method-not-allowed` | 404/405 | unknown path |
                | `a`, `b` | 409 | both |
                ## Configuration
                | `PORT` | 8002 | |
                """);

        assertEquals(
                Map.of("version-conflict", 412, "not-found", 404, "method-not-allowed", 405, "a", 409, "b", 409),
                ProblemTable.read(readme));
    }

    @Test
    void namesMissingAndForeignRows() throws IOException {
        Path readme = Files.writeString(dir.resolve("README.md"), """
                ## Problem types
                | `internal-error` | 500 | |
                | `made-up` | 418 | |
                """);

        AssertionError error = assertThrows(AssertionError.class, () -> ProblemTable.assertListsCatalogue(readme));

        assertTrue(error.getMessage().contains("validation-failed (400): missing"), error.getMessage());
        assertTrue(error.getMessage().contains("made-up (418): listed but in no catalogue"), error.getMessage());
    }
}
