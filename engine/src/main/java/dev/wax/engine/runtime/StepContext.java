package dev.wax.engine.runtime;

import dev.wax.engine.metrics.StepMetrics;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/** What a step runner may see of its worker: ids, time, the epoch, its inbox and outlets. */
public final class StepContext {
  private final String stepId;
  private final int stepIndex;
  private final Worker worker;
  private final Inbox inbox;
  private final Map<String, Outlet> outlets;
  private final StepMetrics metrics;

  StepContext(
      String stepId, int stepIndex, Worker worker, Inbox inbox, Map<String, Outlet> outlets, StepMetrics metrics) {
    this.stepId = stepId;
    this.stepIndex = stepIndex;
    this.worker = worker;
    this.inbox = inbox;
    this.outlets = outlets;
    this.metrics = metrics;
  }

  /** Where this step records its items and the durations of its user calls. */
  public StepMetrics metrics() {
    return metrics;
  }

  public String stepId() {
    return stepId;
  }

  public int workerIndex() {
    return worker.index();
  }

  public int workerCount() {
    return worker.count();
  }

  /** Whether this worker owns {@code key}: items and state of a keyed step go to its owner. */
  public boolean ownsKey(String key) {
    return Exchange.ownerOf(key, worker.count()) == worker.index();
  }

  /** The epoch of what this step works on in the current round; starts at 1. */
  public long epoch() {
    return worker.epochOf(stepIndex);
  }

  /** Whether input steps should not poll now: an epoch is ending, or receivers lag behind. */
  public boolean sourcesPaused() {
    return worker.sourcesPaused();
  }

  /** The worker's current system time (injectable in tests). */
  public Instant now() {
    return worker.now();
  }

  /**
   * The state of this step's keys to resume with, for the keys {@code owned} accepts (those this
   * worker holds), sorted by key; empty when the run starts fresh or without recovery.
   */
  public Map<String, Object> resumeStates(Predicate<String> owned) {
    return worker.resumeStates(stepId, owned);
  }

  /** How this worker encodes state; null without recovery. */
  public StateCodec stateCodec() {
    return worker.stateCodec();
  }

  /** As {@link #resumeStates}, still encoded: for steps that encode their state themselves. */
  public Map<String, byte[]> resumeEncoded(Predicate<String> owned) {
    return worker.resumeEncoded(stepId, owned);
  }

  public Inbox inbox() {
    return inbox;
  }

  public Outlet outlet(String port) {
    Outlet outlet = outlets.get(port);
    if (outlet == null) {
      throw new IllegalArgumentException("step " + stepId + " has no output port " + port);
    }
    return outlet;
  }
}
