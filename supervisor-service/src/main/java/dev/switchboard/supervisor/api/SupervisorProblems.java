package dev.switchboard.supervisor.api;

import dev.switchboard.common.openapi.ProblemDeclaration;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The supervisor-service problem types a resource method (or every method of a resource class) answers, listed in
 * its OpenAPI responses.
 */
@Documented
@ProblemDeclaration
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface SupervisorProblems {

    /** @return the problem types */
    SupervisorProblem[] value();
}
