package dev.switchboard.prompts;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a prompt is for (the {@code type} of a prompt YAML entry); stored and sent in lower case. */
public enum PromptType {
    /** An agent's system prompt. */
    AGENT,
    /** Intent classification / routing. */
    ROUTER,
    /** Retrieval-augmented generation. */
    RAG,
    /** Anything else (summaries, extraction, ...). */
    UTILITY;

    /** Regular expression of the wire names, for Bean Validation. */
    public static final String PATTERN = "agent|router|rag|utility";

    /** @return the wire name, e.g. {@code agent} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return every wire name, in declaration order */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(PromptType::wireName).toList();
    }
}
