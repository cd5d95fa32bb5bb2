package dev.switchboard.registry.rest;

import dev.switchboard.common.openapi.ProblemDeclaration;
import dev.switchboard.registry.RegistryProblem;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The agent-registry-service problem types a resource method answers, listed in its OpenAPI responses. */
@Documented
@ProblemDeclaration
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RegistryProblems {

    /** @return the problem types */
    RegistryProblem[] value();
}
