package dev.wax.engine.ops;

/** Builds the logic of one key, fresh ({@code resumeState == null}) or from a snapshot. */
@FunctionalInterface
public interface LogicBuilder {
  StatefulLogic build(String key, Object resumeState);
}
