package dev.switchboard.common.seed;

/**
 * One entry of a seed file, read and checked.
 *
 * @param origin where it came from: {@code classpath:agents/x.yaml} or a file path
 * @param line   the 1-based line its YAML mapping starts on
 * @param value  the checked value
 * @param <T>    the value's type
 */
public record SeedEntry<T>(String origin, int line, T value) {

    /** @return {@code origin, line N}, for logs */
    public String location() {
        return origin + ", line " + line;
    }
}
