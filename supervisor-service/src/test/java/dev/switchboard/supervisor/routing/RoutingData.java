package dev.switchboard.supervisor.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Test helper: loads the seeded agent profiles (registry YAML files), the module's own validation set and,
 * when present, the shared evaluation sets. Paths are resolved from the supervisor-service module directory (Maven's
 * working directory for tests and exec:java), or from the repository root as a fallback.
 */
final class RoutingData {

    /** One labelled line: text, expected agent ({@code none} = no specialist), dataset intent (may be null). */
    record Labelled(String text, String agent, String intent) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RoutingData() {}

    /** The supervisor-service module directory. */
    static Path moduleDir() {
        Path cwd = Path.of("").toAbsolutePath();
        if (Files.isDirectory(cwd.resolve("src/test/resources/routing"))) {
            return cwd;
        }
        Path nested = cwd.resolve("supervisor-service");
        if (Files.isDirectory(nested.resolve("src/test/resources/routing"))) {
            return nested;
        }
        throw new IllegalStateException("run from the supervisor-service module or the repository root: " + cwd);
    }

    /**
     * {@code shared/data} beside the repository: public evaluation sets that are not part of it. The system
     * property {@code switchboard.shared-data} points elsewhere (the build uses it to prove the tests pass
     * without them).
     */
    static Path sharedData() {
        String override = System.getProperty("switchboard.shared-data");
        return override != null && !override.isBlank()
                ? Path.of(override)
                : moduleDir().resolve("../../shared/data").normalize();
    }

    /** Whether the shared evaluation sets are checked out beside the repository. */
    static boolean sharedDataPresent() {
        return Files.isRegularFile(sharedData().resolve("routing-dev.jsonl"))
                && Files.isRegularFile(sharedData().resolve("clinc150/clinc150-crm-routing.test.jsonl"));
    }

    /** The four seeded agents, parsed from agent-registry-service's YAML files, in file-name order. */
    static List<AgentProfile> seededAgents() {
        Path dir = moduleDir()
                .resolve("../agent-registry-service/src/main/resources/agents")
                .normalize();
        try (var files = Files.list(dir)) {
            List<Path> yamls =
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            List<AgentProfile> out = new ArrayList<>();
            for (Path p : yamls) {
                JsonNode n = YAML.readTree(p.toFile());
                List<String> examples = new ArrayList<>();
                n.path("examples").forEach(e -> examples.add(e.asText()));
                out.add(new AgentProfile(
                        n.path("name").asText(),
                        n.path("description").asText(null),
                        examples,
                        n.path("is_default").asBoolean(false)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of a JSON Lines file with {@code text}, {@code agent} and optional {@code intent}. */
    static List<Labelled> jsonl(Path file) {
        try {
            List<Labelled> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                out.add(new Labelled(
                        n.path("text").asText(),
                        n.path("agent").asText(),
                        n.path("intent").asText(null)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Labelled> routingDev() {
        return jsonl(sharedData().resolve("routing-dev.jsonl"));
    }

    static List<Labelled> clinc150() {
        return jsonl(sharedData().resolve("clinc150/clinc150-crm-routing.test.jsonl"));
    }

    static List<Labelled> validation() {
        return jsonl(moduleDir().resolve("src/test/resources/routing/validation.jsonl"));
    }

    /** Lower-case, punctuation stripped, whitespace collapsed. */
    static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT)
                .replaceAll("[\\p{Punct}\\p{IsPunctuation}]", "")
                .replaceAll("\\s+", " ")
                .strip();
    }
}
