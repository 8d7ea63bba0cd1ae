package dev.wax.engine.runtime;

import dev.wax.engine.AbortExecution;
import dev.wax.engine.Graph;
import dev.wax.engine.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one worker's copy of a dataflow to completion on the calling thread.
 *
 * <p>Each scheduling round runs every step once in creation order. At the end of a round the
 * worker closes the epoch if the epoch interval has passed (and always once at the end), and,
 * when no step did any work, sleeps until the earliest time a step asked to be woken.
 */
public final class Worker {
  /** Longest nap between rounds, so a worker never sleeps past a wake-up it could not foresee. */
  private static final Duration MAX_IDLE = Duration.ofMillis(50);

  private static final Duration MIN_IDLE = Duration.ofMillis(1);

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final Graph graph;
  private final RunOptions options;
  private final List<StepRunner> runners = new ArrayList<>();
  private long epoch = 1;
  private Instant epochStart;

  public Worker(Graph graph, RunOptions options) {
    this.graph = graph;
    this.options = options;
  }

  /** Runs until every step is done or a source aborts; user errors propagate. */
  public void run() {
    RuntimeException failure = null;
    try {
      wire();
      epochStart = now();
      for (StepRunner runner : runners) {
        runner.start();
      }
      loop();
    } catch (AbortExecution abort) {
      // A source asked to stop at once: no EOF, no error.
    } catch (RuntimeException e) {
      failure = e;
    }
    failure = closeAll(failure);
    if (failure != null) {
      throw failure;
    }
  }

  private void loop() {
    while (true) {
      boolean progress = false;
      for (StepRunner runner : runners) {
        progress |= runner.runRound();
      }
      boolean done = runners.stream().allMatch(StepRunner::isDone);
      Instant now = now();
      if (done || !now.isBefore(epochStart.plus(options.epochInterval()))) {
        closeEpoch(now);
      }
      if (done) {
        return;
      }
      if (!progress) {
        idle(now);
      }
    }
  }

  private void closeEpoch(Instant now) {
    for (StepRunner runner : runners) {
      runner.closeEpoch(epoch);
    }
    LOG.debug("worker {} of flow {} closed epoch {}", index(), graph.flowId(), epoch);
    if (options.epochListener() != null) {
      long liveKeys = 0;
      for (StepRunner runner : runners) {
        liveKeys += runner.liveKeys();
      }
      options.epochListener().epochClosed(epoch, liveKeys);
    }
    epoch += 1;
    epochStart = now;
  }

  private void idle(Instant now) {
    Instant until = epochStart.plus(options.epochInterval());
    for (StepRunner runner : runners) {
      Instant wake = runner.wakeAt();
      if (wake != null && wake.isBefore(until)) {
        until = wake;
      }
    }
    Duration nap = Duration.between(now, until);
    if (nap.compareTo(MIN_IDLE) < 0) {
      nap = MIN_IDLE;
    } else if (nap.compareTo(MAX_IDLE) > 0) {
      nap = MAX_IDLE;
    }
    LockSupport.parkNanos(nap.toNanos());
  }

  /** Builds one runner per step and connects each output port to the inboxes reading it. */
  private void wire() {
    Map<String, Outlet> outletsByStream = new HashMap<>();
    for (Step step : graph.steps()) {
      Inbox inbox = new Inbox();
      Map<String, Outlet> outlets = new LinkedHashMap<>();
      for (String port : step.spec().outputPorts()) {
        Outlet outlet = new Outlet();
        outlets.put(port, outlet);
        outletsByStream.put(step.output(port), outlet);
      }
      for (String input : step.inputs()) {
        outletsByStream.get(input).connect(inbox);
      }
      StepRunner runner = step.spec().newRunner(new StepContext(step.id(), this, inbox, outlets));
      for (String input : step.inputs()) {
        inbox.addUpstream(runnerOf(input));
      }
      runners.add(runner);
    }
  }

  private StepRunner runnerOf(String stream) {
    List<Step> steps = graph.steps();
    for (int i = 0; i < runners.size(); i++) {
      if (steps.get(i).outputs().contains(stream)) {
        return runners.get(i);
      }
    }
    throw new IllegalStateException("no step writes stream " + stream);
  }

  /** Closes every runner; the first failure wins and later ones are attached to it. */
  private RuntimeException closeAll(RuntimeException failure) {
    for (StepRunner runner : runners) {
      try {
        runner.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }

  int index() {
    return options.workerIndex();
  }

  int count() {
    return options.workerCount();
  }

  long epoch() {
    return epoch;
  }

  Instant now() {
    return options.clock().instant();
  }
}
