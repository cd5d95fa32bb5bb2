package dev.switchboard.common.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Escapes control characters in every log message, so that text a client chose (a login name, an agent or session
 * id, a webhook field) cannot forge log lines: CR and LF become {@code \r} and {@code \n}, TAB {@code \t}, the other
 * C0 and C1 controls, DEL and the Unicode line and paragraph separators (U+2028, U+2029) {@code \}{@code uXXXX}; the
 * message stays on one line. Installed on the console handler by {@code quarkus.log.console.filter} (switchboard-
 * common's {@code META-INF/microprofile-config.properties}), so it covers every log call without each one having to
 * escape its arguments. Stack traces keep their lines.
 */
@LoggingFilter(name = ControlCharacterFilter.NAME)
public final class ControlCharacterFilter implements Filter {

    /** The name {@code quarkus.log.*.filter} refers to. */
    public static final String NAME = "switchboard-escape-control-characters";

    /** Always logs the record, with its formatted message escaped when it holds a control character. */
    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            String escaped = escape(message);
            if (escaped != message) {
                ext.setMessage(escaped, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        } else if (record.getParameters() == null || record.getParameters().length == 0) {
            record.setMessage(escape(record.getMessage()));
        } else {
            Object[] parameters = record.getParameters().clone();
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof CharSequence text) {
                    parameters[i] = escape(text.toString());
                }
            }
            record.setMessage(escape(record.getMessage()));
            record.setParameters(parameters);
        }
        return true;
    }

    /**
     * @return {@code text} with its control characters escaped as described on the class; the same instance when it
     *         has none (and {@code null} for {@code null})
     */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = 0;
        while (first < text.length() && !isControl(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
