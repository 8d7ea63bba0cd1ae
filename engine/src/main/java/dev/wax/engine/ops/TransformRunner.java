package dev.wax.engine.ops;

import dev.wax.engine.runtime.Inbox;
import dev.wax.engine.runtime.StepRunner;
import java.util.List;

/** A stateless step: processes each queued batch on its own and is done when its input ends. */
abstract class TransformRunner implements StepRunner {
  private final Inbox inbox;
  private boolean done;

  TransformRunner(Inbox inbox) {
    this.inbox = inbox;
  }

  abstract void process(List<Object> batch);

  @Override
  public boolean runRound() {
    boolean worked = false;
    List<Object> batch;
    while ((batch = inbox.poll()) != null) {
      process(batch);
      worked = true;
    }
    if (!done && inbox.isExhausted()) {
      done = true;
      worked = true;
    }
    return worked;
  }

  @Override
  public boolean isDone() {
    return done;
  }
}
