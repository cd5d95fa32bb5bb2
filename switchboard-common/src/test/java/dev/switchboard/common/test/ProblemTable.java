package dev.switchboard.common.test;

import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.ProblemType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a service README's {@code ## Problem types} table against the catalogue: every type of the service's
 * catalogue and every shared {@link CommonProblem} has a row with its status, and no row names another type.
 * A row may list several slugs ({@code `not-found`, `method-not-allowed`}) with one status each
 * ({@code 404/405}) or one for all.
 */
public final class ProblemTable {

    private static final Pattern SLUG = Pattern.compile("`([a-z0-9-]+)`");
    private static final Pattern STATUS = Pattern.compile("\\b([1-5][0-9]{2})\\b");

    private ProblemTable() {}

    /**
     * @param readme          the service README, e.g. {@code Path.of("README.md")} from the module directory
     * @param serviceProblems the service's own catalogue
     * @throws AssertionError listing every missing, extra or mis-statused row
     */
    public static void assertListsCatalogue(Path readme, ProblemType... serviceProblems) {
        Map<String, Integer> listed = read(readme);
        Set<ProblemType> catalogue = new LinkedHashSet<>(List.of(serviceProblems));
        catalogue.addAll(EnumSet.allOf(CommonProblem.class));
        List<String> violations = new ArrayList<>();
        for (ProblemType type : catalogue) {
            Integer status = listed.remove(type.slug());
            if (status == null) {
                violations.add(type.slug() + " (" + type.status() + "): missing");
            } else if (status != type.status()) {
                violations.add(type.slug() + ": listed with " + status + ", is " + type.status());
            }
        }
        listed.forEach((slug, status) -> violations.add(slug + " (" + status + "): listed but in no catalogue"));
        if (!violations.isEmpty()) {
            throw new AssertionError(
                    readme + " problem types differ from the catalogue:\n" + String.join("\n", violations));
        }
    }

    /** @return slug → status of every row of the {@code ## Problem types} table */
    static Map<String, Integer> read(Path readme) {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> rows = new TreeMap<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith("## Problem types");
                continue;
            }
            if (!inSection || !line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|");
            if (cells.length < 3) {
                continue;
            }
            List<String> slugs = all(SLUG.matcher(cells[1]));
            List<String> statuses = all(STATUS.matcher(cells[2]));
            if (slugs.isEmpty() || statuses.isEmpty()) {
                continue;
            }
            if (statuses.size() != 1 && statuses.size() != slugs.size()) {
                throw new AssertionError(readme + ": cannot pair slugs and statuses in " + line);
            }
            for (int i = 0; i < slugs.size(); i++) {
                rows.put(slugs.get(i), Integer.valueOf(statuses.get(statuses.size() == 1 ? 0 : i)));
            }
        }
        if (rows.isEmpty()) {
            throw new AssertionError(readme + " has no ## Problem types table");
        }
        return rows;
    }

    private static List<String> all(Matcher matcher) {
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
