package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemType;

/**
 * The problem types of prompt-service's own (the shared ones are {@link dev.switchboard.common.problem.CommonProblem}).
 */
public enum PromptProblem implements ProblemType {

    /** A render was asked without a value for some placeholder; {@code errors[]} names each variable. */
    MISSING_VARIABLES("missing-variables", 400, "Missing template variables"),
    /** A malformed placeholder, or declared {@code variables[]} that differ from the placeholders. */
    INVALID_TEMPLATE("invalid-template", 400, "Invalid prompt template"),
    /** The reserved label {@code latest} cannot be moved. */
    INVALID_LABEL("invalid-label", 400, "Invalid label"),
    /** No (undeleted) prompt has this id. */
    PROMPT_NOT_FOUND("prompt-not-found", 404, "Prompt not found"),
    /** The prompt exists but the label points nowhere. */
    LABEL_NOT_FOUND("label-not-found", 404, "Label not found"),
    /** The prompt exists but not this version. */
    VERSION_NOT_FOUND("version-not-found", 404, "Version not found"),
    /** A create of an id that is already taken. */
    PROMPT_EXISTS("prompt-exists", 409, "Prompt already exists"),
    /** A delete of a prompt that active agents use, without {@code ?force=true}. */
    PROMPT_IN_USE("prompt-in-use", 409, "Prompt in use"),
    /** agent-registry-service could not be asked whether an agent uses the prompt; {@code Retry-After: 5}. */
    DEPENDENCY_UNAVAILABLE("dependency-unavailable", 503, "Dependency unavailable");

    private final String slug;
    private final int status;
    private final String title;

    PromptProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
