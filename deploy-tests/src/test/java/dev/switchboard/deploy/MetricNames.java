package dev.switchboard.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Metric names on both sides: those the services register with Micrometer (found in their sources) and
 * those a PromQL expression queries.
 */
final class MetricNames {

    /** Quarkus/Micrometer standard meters (and Prometheus' own {@code up}) a dashboard may use. */
    static final List<String> STANDARD_PREFIXES = List.of("http_server_requests", "jvm_", "process_", "system_");

    static final Set<String> STANDARD_NAMES = Set.of("up");

    private static final Pattern LITERAL_NAME = Pattern.compile(
            "(?:(?:Counter|Timer|Gauge|DistributionSummary|LongTaskTimer|FunctionCounter|FunctionTimer|TimeGauge)"
                    + "\\.builder|\\.(?:counter|timer|gauge|summary))\\(\\s*\"([^\"]+)\"");
    private static final Pattern CONSTANT_NAME = Pattern.compile(
            "(?:Counter|Timer|Gauge|DistributionSummary|LongTaskTimer|FunctionCounter|FunctionTimer|TimeGauge)"
                    + "\\.builder\\(\\s*([A-Z][A-Z0-9_]*)\\s*[,)]");
    private static final Pattern ANNOTATION_NAME =
            Pattern.compile("@(?:Counted|Timed)\\(\\s*(?:value\\s*=\\s*)?\"([^\"]+)\"");
    private static final Pattern SUFFIXES = Pattern.compile("(_[a-z]+)?(_total|_bucket|_count|_sum|_max)?");
    private static final Set<String> PROMQL_KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "inf",
            "nan");

    private MetricNames() {}

    /**
     * Micrometer meter names registered in the modules' main sources, in Prometheus form (dots to underscores,
     * no suffix): {@code switchboard.chat.turns} → {@code switchboard_chat_turns}.
     */
    static Set<String> registeredInCode() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> modules = Files.list(Repo.ROOT)) {
            for (Path sources : modules.map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .toList()) {
                scan(sources, names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void scan(Path sources, Set<String> names) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Repo.read(file);
                if (!source.contains("io.micrometer")) {
                    continue;
                }
                collect(LITERAL_NAME.matcher(source), names);
                collect(ANNOTATION_NAME.matcher(source), names);
                Matcher constants = CONSTANT_NAME.matcher(source);
                while (constants.find()) {
                    Matcher value = Pattern.compile("\\b" + constants.group(1) + "\\s*=\\s*\"([^\"]+)\"")
                            .matcher(source);
                    collect(value, names);
                }
            }
        }
    }

    private static void collect(Matcher matcher, Set<String> into) {
        while (matcher.find()) {
            into.add(prometheusBase(matcher.group(1)));
        }
    }

    /** @return the Prometheus base name of a Micrometer name */
    static String prometheusBase(String micrometerName) {
        return micrometerName.replace('.', '_').replace('-', '_');
    }

    /**
     * Whether a queried series name is one the services export: a registered base name plus an optional unit
     * and an optional Prometheus suffix ({@code _total}, {@code _bucket}, {@code _count}, {@code _sum},
     * {@code _max}), or a Quarkus/Micrometer standard meter.
     */
    static boolean isExported(String series, Set<String> registered) {
        if (STANDARD_NAMES.contains(series) || STANDARD_PREFIXES.stream().anyMatch(series::startsWith)) {
            return true;
        }
        return registered.stream()
                .anyMatch(base -> series.startsWith(base)
                        && SUFFIXES.matcher(series.substring(base.length())).matches());
    }

    /**
     * The metric names a PromQL expression selects: identifiers left after removing strings, label matchers,
     * range selectors, grouping clauses, function calls and keywords.
     */
    static Set<String> queriedBy(String promql) {
        String e = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?")
                .matcher(e);
        while (m.find()) {
            String id = m.group(1);
            if (m.group(2) == null && !PROMQL_KEYWORDS.contains(id.toLowerCase())) {
                names.add(id);
            }
        }
        return names;
    }
}
