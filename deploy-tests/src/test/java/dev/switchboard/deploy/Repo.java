package dev.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository's files as Jackson trees, and the few external tools the checks may use. */
final class Repo {

    /** The four services and the port each listens on (the root README's service table). */
    static final Map<String, Integer> SERVICES = Map.of(
            "supervisor-service", 8000,
            "agent-registry-service", 8001,
            "state-service", 8002,
            "prompt-service", 8003);

    /** The repository root: the first ancestor of the working directory holding {@code k8s/} and a pom. */
    static final Path ROOT = findRoot();

    static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    private Repo() {}

    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("k8s"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root (k8s/, docker-compose.yml) not found above "
                + Path.of("").toAbsolutePath());
    }

    /** @return {@code ROOT.resolve(relative)} */
    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    /** @return the file's text (UTF-8) */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every non-empty YAML document of the text, anchors and merge keys resolved */
    static List<JsonNode> yamlDocuments(String text) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<JsonNode> docs = new ArrayList<>();
        for (Object doc : yaml.loadAll(text)) {
            if (doc != null) {
                docs.add(JSON.valueToTree(doc));
            }
        }
        return docs;
    }

    /** @return the file's YAML documents (see {@link #yamlDocuments(String)}) */
    static List<JsonNode> yamlDocuments(Path file) {
        return yamlDocuments(read(file));
    }

    /** @return the file's single YAML document */
    static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " holds " + docs.size() + " YAML documents, expected 1");
        }
        return docs.getFirst();
    }

    /** @return the file parsed as JSON */
    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the node's text, or empty when it is missing, null or not a scalar */
    static Optional<String> text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()
                ? Optional.empty()
                : Optional.of(node.asText());
    }

    /** @return the node's array elements (none when it is missing or not an array) */
    static List<JsonNode> elements(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(out::add);
        }
        return out;
    }

    /** @return {@code node.path(field)} that tolerates a null node */
    static JsonNode at(JsonNode node, String... fields) {
        JsonNode current = node == null ? MissingNode.getInstance() : node;
        for (String field : fields) {
            current = current.path(field);
        }
        return current;
    }

    /**
     * Parses a configuration duration as the services read it: {@code 30s}, {@code 500ms}, {@code 5m},
     * {@code 1h}, ISO-8601 {@code PT30S}, or a bare number of seconds.
     */
    static Duration duration(String value) {
        String v = value.strip();
        if (v.toUpperCase().startsWith("PT") || v.toUpperCase().startsWith("P")) {
            return Duration.parse(v.toUpperCase());
        }
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + value);
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long millis = (long)
                switch (unit) {
                    case "ms" -> amount;
                    case "s" -> amount * 1_000;
                    case "m" -> amount * 60_000;
                    case "h" -> amount * 3_600_000;
                    default -> throw new IllegalArgumentException(unit);
                };
        return Duration.ofMillis(millis);
    }

    /** @return the module's {@code src/main/resources/application.properties} text */
    static String applicationProperties(String module) {
        return read(path(module + "/src/main/resources/application.properties"));
    }

    /** Whether the module's application.properties reads the environment name ({@code ${NAME:...}}). */
    static boolean readsEnv(String module, String env) {
        // every service also reads switchboard-common's META-INF/microprofile-config.properties (authentication)
        String properties = applicationProperties(module) + "\n"
                + read(path("switchboard-common/src/main/resources/META-INF/microprofile-config.properties"));
        return properties.contains("${" + env + ":") || properties.contains("${" + env + "}");
    }

    /** @return the default the module's application.properties gives the environment name, when it reads it */
    static Optional<String> envDefault(String module, String env) {
        Matcher m = Pattern.compile("\\$\\{" + Pattern.quote(env) + ":([^}]*)}").matcher(applicationProperties(module));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** @return the executable's path when it is on {@code PATH} */
    static Optional<Path> onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, executable))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** What a finished command printed and how it exited. */
    record Outcome(int exitCode, String stdout, String stderr) {}

    /**
     * Runs a command in the repository root with a changed environment and returns how it ended, whatever the
     * exit code.
     *
     * @param environment variables to set; a {@code null} value removes the variable
     * @throws AssertionError when it runs longer than the timeout
     */
    static Outcome run(Duration timeout, Map<String, String> environment, String... command) {
        try {
            Path err = Files.createTempFile("deploy-tests", ".err");
            Path out = Files.createTempFile("deploy-tests", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(ROOT.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                environment.forEach((name, value) -> {
                    if (value == null) {
                        builder.environment().remove(name);
                    } else {
                        builder.environment().put(name, value);
                    }
                });
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
                }
                return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Runs a command in the repository root and returns its standard output.
     *
     * @throws AssertionError when it exits non-zero or runs longer than the timeout (its stderr included)
     */
    static String run(Duration timeout, String... command) {
        Outcome outcome = run(timeout, Map.of(), command);
        if (outcome.exitCode() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " exited " + outcome.exitCode() + ":\n" + outcome.stderr());
        }
        return outcome.stdout();
    }
}
