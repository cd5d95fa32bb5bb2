package dev.switchboard.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of {@code k8s/} and the launcher in a temporary directory, after {@code ./switchboard secrets} ran there:
 * the dev overlay as a user has it before {@code kubectl apply -k}, without touching the checkout. Made once per
 * test run and deleted at exit.
 */
final class GeneratedSecrets {

    private static Path root;

    private GeneratedSecrets() {}

    /** @return the copy's root (holding {@code k8s/}, {@code switchboard}, {@code .switchboard/}) */
    static synchronized Path root() {
        if (root == null) {
            try {
                Path dir = Files.createTempDirectory("switchboard-secrets");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                copyTree(Repo.path("k8s"), dir.resolve("k8s"));
                Files.copy(Repo.path("switchboard"), dir.resolve("switchboard"), StandardCopyOption.COPY_ATTRIBUTES);
                Repo.Outcome outcome = Repo.run(
                        Duration.ofSeconds(60),
                        Map.of(),
                        "bash",
                        dir.resolve("switchboard").toString(),
                        "secrets");
                if (outcome.exitCode() != 0) {
                    throw new AssertionError(
                            "./switchboard secrets exited " + outcome.exitCode() + ":\n" + outcome.stderr());
                }
                root = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!from.relativize(f).startsWith("overlays/dev/secrets")) {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the system cleans it eventually
        }
    }
}
