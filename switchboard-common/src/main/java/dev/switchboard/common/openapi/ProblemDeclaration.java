package dev.switchboard.common.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an annotation that declares, on a resource method or class, the problem types its operations answer.
 * The marked annotation's {@code value()} is an array of a catalogue enum implementing
 * {@link dev.switchboard.common.problem.ProblemType}: one such annotation per catalogue, e.g.
 * {@link CommonProblems} for {@link dev.switchboard.common.problem.CommonProblem}, {@code @StateProblems} for
 * state-service's. {@link ProblemResponsesFilter} reads them into the OpenAPI document.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface ProblemDeclaration {}
