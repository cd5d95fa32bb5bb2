package dev.switchboard.supervisor.text;

import dev.switchboard.common.text.StorableText;

/**
 * Cuts text to a length without splitting a character: a cut between the two halves of a surrogate pair would leave
 * a lone surrogate, which PostgreSQL cannot store and peers refuse.
 */
public final class TextBounds {

    private TextBounds() {
    }

    /**
     * @param text     any text, may be {@code null}
     * @param maxChars most UTF-16 units to keep
     * @return {@code text} itself when short enough, else its first {@code maxChars} units, one less when the cut
     *         would split a surrogate pair
     */
    public static String cut(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = Math.max(0, maxChars);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end);
    }

    /**
     * @return {@code text} with U+FFFD in place of each character PostgreSQL cannot store, cut to {@code maxChars}
     */
    public static String storable(String text, int maxChars) {
        return cut(StorableText.replaceUnstorable(text), maxChars);
    }
}
