package dev.switchboard.common.seed;

/**
 * A seed file that cannot be used: unreadable, not YAML, or an entry of the wrong shape or failing its check. The
 * message names the file and, where known, the line; the cause is the underlying error.
 */
public class SeedFileException extends RuntimeException {

    private final String origin;
    private final int line;
    private final String detail;

    /**
     * @param origin the file ({@code classpath:…} or a path)
     * @param line   the 1-based line at fault, or 0 when unknown
     * @param detail what is wrong, without the file and line
     * @param cause  the underlying error, or {@code null}
     */
    public SeedFileException(String origin, int line, String detail, Throwable cause) {
        super(origin + (line > 0 ? ", line " + line : "") + ": " + detail, cause);
        this.origin = origin;
        this.line = line;
        this.detail = detail;
    }

    /** @return the file at fault */
    public String origin() {
        return origin;
    }

    /** @return the 1-based line at fault, or 0 when unknown */
    public int line() {
        return line;
    }

    /** @return what is wrong, without the file and line */
    public String detail() {
        return detail;
    }

    /** @return {@code "line N: "}, or {@code ""} when the line is unknown */
    public String where() {
        return line > 0 ? "line " + line + ": " : "";
    }
}
