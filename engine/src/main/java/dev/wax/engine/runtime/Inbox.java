package dev.wax.engine.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The batches queued for one step on one worker, per input port in arrival order, and whether its
 * input has ended as far as the step's logic may know (the worker decides, see {@code Worker}). A step takes its ports' batches in
 * argument order (a merge prints its first input's queued items before its second's, as Timely's
 * {@code concatenate} drains its inputs). When the step exchanges its input, what is offered goes
 * through the exchange and only the pieces placed on this worker are queued, along with those
 * other workers send.
 */
public final class Inbox {
  private final List<ArrayDeque<List<Object>>> ports = new ArrayList<>();
  private ExchangeLink link;
  private boolean inputEnded;

  /** An inbox for a step with {@code portCount} inputs (an input step has none: one queue). */
  Inbox(int portCount) {
    for (int p = 0; p < Math.max(1, portCount); p++) {
      ports.add(new ArrayDeque<>());
    }
  }

  void exchangeThrough(ExchangeLink link) {
    this.link = link;
  }

  void offer(int port, List<Object> batch) {
    if (link == null) {
      ports.get(port).add(batch);
    } else {
      link.route(batch);
    }
  }

  /** Queues a piece placed on this worker (an exchanged step has one input). */
  void add(List<Object> piece) {
    ports.get(0).add(piece);
  }

  /** Takes the oldest batch of the first port with any queued, or null when all are empty. */
  public List<Object> poll() {
    for (ArrayDeque<List<Object>> queue : ports) {
      List<Object> batch = queue.poll();
      if (batch != null) {
        return batch;
      }
    }
    return null;
  }

  public boolean isEmpty() {
    for (ArrayDeque<List<Object>> queue : ports) {
      if (!queue.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Set at the start of each round: no more items come from this worker's upstream steps. */
  void inputEnded(boolean ended) {
    inputEnded = ended;
  }

  boolean inputEnded() {
    return inputEnded;
  }

  /**
   * True when the input has ended (on every worker, for an exchanged step) and nothing is queued:
   * the step will get no more items.
   */
  public boolean isExhausted() {
    return isEmpty() && inputEnded && (link == null || link.allEnded());
  }
}
