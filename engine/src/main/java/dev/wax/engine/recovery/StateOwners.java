package dev.wax.engine.recovery;

/** Which process of a cluster resumes each state, so a process receives only the states it needs. */
@FunctionalInterface
public interface StateOwners {
  /** What {@link #processOf} says of a state every process may need, e.g. a source partition's. */
  int EVERY_PROCESS = -1;

  /** The process that resumes {@code key} of step {@code stepId}, or {@link #EVERY_PROCESS}. */
  int processOf(String stepId, String key);
}
