package dev.switchboard.supervisor.agents;

import dev.switchboard.common.text.TextModule;
import io.quarkiverse.langchain4j.QuarkusJsonCodecFactory;
import io.quarkiverse.langchain4j.openai.common.OpenAiRestApi;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Reads the model's answers as third-party text. quarkus-langchain4j parses OpenAI responses (text, tool-call
 * arguments) with copies of the service's ObjectMapper, which refuses text PostgreSQL cannot store; a model that
 * answers U+0000 or a lone surrogate would then fail the turn. At startup, before any model call, both copies get
 * {@link TextModule#replacing()}: such characters become U+FFFD and the answer is kept.
 *
 * <p>The OpenAI client's reader is built from its mapper when first used (the first model call), so registering the
 * module at startup and then touching that holder makes the reader see it.
 */
@ApplicationScoped
class LlmAnswerText {

    void replaceUnstorableText(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        QuarkusJsonCodecFactory.SnakeCaseObjectMapperHolder.MAPPER.registerModule(TextModule.replacing());
        QuarkusJsonCodecFactory.ObjectMapperHolder.MAPPER.registerModule(TextModule.replacing());
        // builds the OpenAI client's reader now, from the mapper as it is after the line above
        OpenAiRestApi.ObjectMapperHolder.MAPPER.getRegisteredModuleIds();
    }
}
