package dev.switchboard.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The classpath seed index must list exactly the agent YAML files shipped in the jar. */
class AgentIndexTest {

    private static final Path AGENTS = Path.of("src/main/resources/agents");

    @Test
    void indexListsEveryBundledAgentFile() throws IOException {
        List<String> listed = Files.readAllLines(AGENTS.resolve("index.txt")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .sorted()
                .toList();
        List<String> present;
        try (Stream<Path> files = Files.list(AGENTS)) {
            present = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        assertEquals(present, listed, "agents/index.txt must list every agents/*.yaml file");
    }
}
