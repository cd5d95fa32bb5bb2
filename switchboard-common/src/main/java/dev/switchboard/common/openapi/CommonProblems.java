package dev.switchboard.common.openapi;

import dev.switchboard.common.problem.CommonProblem;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The shared problem types a resource method (or every method of a resource class) answers beyond those its
 * {@link CommonProblem.Scope} already gives it, e.g. {@link CommonProblem#BAD_REQUEST} for a refused combination
 * of parameters.
 */
@Documented
@ProblemDeclaration
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CommonProblems {

    /** @return the shared problem types */
    CommonProblem[] value();
}
