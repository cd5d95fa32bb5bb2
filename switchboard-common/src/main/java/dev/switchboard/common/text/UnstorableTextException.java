package dev.switchboard.common.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A request body holds text PostgreSQL cannot store (U+0000, a lone surrogate). Raised while the body is read,
 * so Jackson adds the path of the field it was reading; answered as 400 {@code invalid-text} naming that field.
 */
public class UnstorableTextException extends JsonMappingException {

    private static final long serialVersionUID = 1L;

    /**
     * @param parser      the parser that read the text (its location goes into the message)
     * @param description which character and where, e.g. {@code U+0000 at index 5}
     */
    public UnstorableTextException(JsonParser parser, String description) {
        super(
                parser,
                "holds a character that cannot be stored (" + description + "): remove U+0000 and unpaired surrogates");
    }

    /** What is wrong with the field, without the parser location: for the problem's {@code errors}. */
    public String reason() {
        return getOriginalMessage();
    }
}
