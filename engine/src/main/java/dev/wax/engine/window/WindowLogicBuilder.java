package dev.wax.engine.window;

/** Builds the logic of a new window (fresh when {@code resumeState} is null). */
@FunctionalInterface
public interface WindowLogicBuilder {
  WindowLogic build(Object resumeState);
}
