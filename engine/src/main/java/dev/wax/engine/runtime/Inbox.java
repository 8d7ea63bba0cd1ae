package dev.wax.engine.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The batches queued for one step on one worker, in arrival order across all its input ports,
 * plus the steps feeding it, so the step can tell when no more data can come. When the step
 * exchanges its input, what is offered goes through the exchange and only the pieces placed on
 * this worker are queued, along with those other workers send.
 */
public final class Inbox {
  private final ArrayDeque<List<Object>> batches = new ArrayDeque<>();
  private final List<StepRunner> upstreams = new ArrayList<>();
  private ExchangeLink link;

  void addUpstream(StepRunner upstream) {
    upstreams.add(upstream);
  }

  void exchangeThrough(ExchangeLink link) {
    this.link = link;
  }

  void offer(List<Object> batch) {
    if (link == null) {
      batches.add(batch);
    } else {
      link.route(batch);
    }
  }

  /** Queues a piece placed on this worker. */
  void add(List<Object> piece) {
    batches.add(piece);
  }

  /** Takes the oldest queued batch, or null when empty. */
  public List<Object> poll() {
    return batches.poll();
  }

  public boolean isEmpty() {
    return batches.isEmpty();
  }

  boolean upstreamsDone() {
    for (StepRunner upstream : upstreams) {
      if (!upstream.isDone()) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when every upstream step is done (on every worker, for an exchanged step) and nothing is
   * queued: the step's input has ended.
   */
  public boolean isExhausted() {
    return batches.isEmpty() && upstreamsDone() && (link == null || link.allEnded());
  }
}
