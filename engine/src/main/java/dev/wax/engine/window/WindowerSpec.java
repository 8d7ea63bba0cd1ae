package dev.wax.engine.window;

/** How items are bucketed into windows: builds one {@link WindowerLogic} per key. */
public interface WindowerSpec {
  WindowerLogic build(Object resumeState);
}
