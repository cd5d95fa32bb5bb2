package dev.switchboard.supervisor.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code com.github.tomakehurst.wiremock.WireMockServer} field of a {@code @QuarkusTest} to receive the
 * fake OpenAI server started by {@link OpenAiWireMockResource}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectWireMock {}
