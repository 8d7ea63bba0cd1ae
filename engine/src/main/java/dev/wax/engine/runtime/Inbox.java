package dev.wax.engine.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The batches queued for one step, in arrival order across all its input ports, plus the steps
 * feeding it, so the step can tell when no more data can come.
 */
public final class Inbox {
  private final ArrayDeque<List<Object>> batches = new ArrayDeque<>();
  private final List<StepRunner> upstreams = new ArrayList<>();

  void addUpstream(StepRunner upstream) {
    upstreams.add(upstream);
  }

  void offer(List<Object> batch) {
    batches.add(batch);
  }

  /** Takes the oldest queued batch, or null when empty. */
  public List<Object> poll() {
    return batches.poll();
  }

  public boolean isEmpty() {
    return batches.isEmpty();
  }

  /** True when every upstream step is done and nothing is queued: the step's input has ended. */
  public boolean isExhausted() {
    if (!batches.isEmpty()) {
      return false;
    }
    for (StepRunner upstream : upstreams) {
      if (!upstream.isDone()) {
        return false;
      }
    }
    return true;
  }
}
