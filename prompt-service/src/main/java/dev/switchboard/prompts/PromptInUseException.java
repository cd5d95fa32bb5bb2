package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;
import java.util.List;

/** {@link PromptProblem#PROMPT_IN_USE}: delete of a prompt that active agents use, without {@code ?force=true}. */
public class PromptInUseException extends ProblemException {

    /**
     * @param id     the prompt
     * @param agents the active agents whose {@code prompt_id} it is
     */
    public PromptInUseException(String id, List<String> agents) {
        super(
                PromptProblem.PROMPT_IN_USE,
                "Prompt '" + id + "' is the system prompt of active agent(s) " + String.join(", ", agents)
                        + "; point them at another prompt first, or delete with ?force=true");
    }
}
