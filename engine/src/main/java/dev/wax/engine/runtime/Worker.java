package dev.wax.engine.runtime;

import dev.wax.engine.AbortExecution;
import dev.wax.engine.FrontierLag;
import dev.wax.engine.Graph;
import dev.wax.engine.Step;
import dev.wax.engine.StepSpec;
import dev.wax.engine.metrics.StepMetrics;
import dev.wax.engine.tracing.WorkerSpans;
import dev.wax.engine.recovery.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one worker's copy of a dataflow.
 *
 * <p>Each scheduling round runs every step once in creation order. An epoch ends when the epoch
 * interval has passed (or another worker ended it): sources pause, each exchanged step tells the
 * other workers once everything upstream of it here is done for the epoch, and when every step has
 * seen all its data of the epoch from every worker, the worker snapshots and moves to the next
 * epoch. When no step did any work, the worker sleeps until the earliest time a step asked to be
 * woken or data arrives.
 *
 * <p>Ends travel as in Bytewax's core, so that lines of different steps interleave as there: items
 * flow to later steps within a round, but the end of a step's input reaches its logic and its
 * readers only after the rounds its {@link FrontierLag} counts, and after an epoch closes, sources
 * wait the rounds Bytewax's probe takes to see the close before they start the next epoch.
 */
public final class Worker {
  /** Longest nap between rounds, so a worker never sleeps past a wake-up it could not foresee. */
  private static final Duration MAX_IDLE = Duration.ofMillis(50);

  private static final Duration MIN_IDLE = Duration.ofMillis(1);

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private static final long NEVER = Long.MAX_VALUE;

  /** Capability-holding operators between a snapshot and Bytewax's probe (see probeDepth). */
  private static final int RECOVERY_WRITER_DEPTH = 8;

  private final Graph graph;
  private final RunOptions options;
  private final Execution execution;
  private final int index;
  private final BatchCodec codec;
  private final List<StepRunner> runners = new ArrayList<>();
  /** Per step, the name its spans carry, or null for none (see {@link StepSpec#traceName}). */
  private final List<String> traceNames = new ArrayList<>();
  private WorkerSpans spans = WorkerSpans.NONE;
  private final List<Inbox> inboxes = new ArrayList<>();
  /** Per step, the links of its exchanged input, or null when it has none. */
  private final List<ExchangeLink> links = new ArrayList<>();
  /** Per step, the indices of the steps it reads. */
  private final List<int[]> upstreams = new ArrayList<>();
  /** Per step, its frontier lag (see the class comment). */
  private final List<FrontierLag> lags = new ArrayList<>();
  /** Per step, the first round whose start saw all its input ended; {@link #NEVER} until then. */
  private long[] inputEndedAt;
  /** Per step, the first round from whose start its readers see its output ended. */
  private long[] outputEndedAt;
  /**
   * Per step, the epoch it works in: the earliest epoch its input can still bring, or once its
   * input has ended, the last such epoch, which it holds until its output's end is passed on.
   */
  private long[] stepEpochs;
  /** Per step, the earliest epoch its readers can still get from it; {@link #NEVER} once ended. */
  private long[] outputEpochs;
  /** Rounds sources wait after an epoch closes: until Bytewax's probe has seen the close. */
  private int epochCloseRounds;
  /** The first round in which sources may poll again after the last epoch close. */
  private long sourcesResumeAt;
  private long round;
  private long epoch;
  private Instant epochStart;
  private boolean endingEpoch;
  private boolean done;
  /** Whether a step holds output back until its epoch's snapshot is durable. */
  private boolean commitsOutput;
  /** The last epoch whose snapshots are durable on every process, as last told to the steps. */
  private long durableEpoch;

  /** A single worker running alone. */
  public Worker(Graph graph, RunOptions options) {
    this(graph, options, new Execution(1), 0, BatchCodec.SHARED);
  }

  Worker(Graph graph, RunOptions options, Execution execution, int index, BatchCodec codec) {
    this.graph = graph;
    this.options = options;
    this.execution = execution;
    this.index = index;
    this.codec = codec;
    this.epoch = options.recovery() == null ? 1 : options.recovery().store().resumeEpoch();
  }

  private StepMetrics metricsOf(String stepId) {
    return options.metrics() == null ? StepMetrics.NONE : options.metrics().forStep(stepId, index);
  }

  /** Runs on this thread until every step is done or a source aborts; user errors propagate. */
  public void run() {
    RuntimeException failure = null;
    try {
      start();
      while (!done) {
        if (!round()) {
          LockSupport.parkNanos(idleNanos());
        }
      }
      awaitDurable();
    } catch (AbortExecution abort) {
      // A source asked to stop at once: no EOF, no error, on every worker.
      execution.abort();
    } catch (RuntimeException e) {
      failure = e;
    }
    failure = stop(failure);
    if (failure != null) {
      throw failure;
    }
  }

  /** Wires the steps and starts them in creation order. */
  void start() {
    if (options.tracing() != null) {
      spans = options.tracing().forWorker(index);
    }
    spans.runStarted();
    wire();
    epochStart = now();
    for (StepRunner runner : runners) {
      runner.start();
      commitsOutput |= runner.commitsOutput();
    }
    durableEpoch = epoch - 1;
  }

  /**
   * One scheduling round, with the epoch bookkeeping after it.
   *
   * @return whether any work was done
   */
  boolean round() {
    try {
      execution.runTasks(index);
      return runSteps();
    } finally {
      // Whatever this round sent to other processes leaves now.
      execution.flush(index);
    }
  }

  private boolean runSteps() {
    execution.checkPeers(index);
    if (commitsOutput) {
      noteDurable();
    }
    round += 1;
    boolean endsInFlight = passEnds();
    boolean progress = false;
    boolean sourcesPolled = false;
    long roundStart = spans.now();
    for (int i = 0; i < runners.size(); i++) {
      ExchangeLink link = links.get(i);
      if (link != null) {
        progress |= link.receive();
        endingEpoch |= link.anySenderAtEpochEnd();
      }
      long start = spans.now();
      boolean worked = runners.get(i).runRound();
      if (worked && traceNames.get(i) != null) {
        spans.operatorWorked(traceNames.get(i), roundStart, start);
      }
      progress |= worked;
      sourcesPolled |= worked && upstreams.get(i).length == 0;
    }
    spans.roundEnded();
    done = true;
    for (int i = 0; i < runners.size(); i++) {
      ExchangeLink link = links.get(i);
      if (link != null && !link.endSent() && inboxes.get(i).inputEnded()) {
        link.end();
      }
      if (runners.get(i).isDone()) {
        if (outputEndedAt[i] == NEVER) {
          outputEndedAt[i] = round + Math.max(1, lags.get(i).afterLogic());
        }
      } else {
        done = false;
      }
    }
    Instant now = now();
    if (done) {
      closeEpoch(now);
      return true;
    }
    // As Bytewax's inputs, which close their epochs when they run: only in rounds sources may
    // poll in, and with a zero interval after every round in which they polled (every batch).
    if (round >= sourcesResumeAt) {
      endingEpoch |=
          options.epochInterval().isZero()
              ? sourcesPolled
              : !now.isBefore(epochStart.plus(options.epochInterval()));
    }
    if (endingEpoch && epochEndsHere()) {
      closeEpoch(now);
      progress = true;
    }
    return progress || endsInFlight || round < sourcesResumeAt;
  }

  /**
   * At the start of a round, tells each step whether its input has ended, counting the rounds of
   * its upstream steps' and its own {@link FrontierLag}.
   *
   * @return whether an end is still on its way, so the worker must not sleep
   */
  private boolean passEnds() {
    boolean inFlight = false;
    for (int i = 0; i < runners.size(); i++) {
      if (inputEndedAt[i] == NEVER) {
        long last = 0;
        for (int u : upstreams.get(i)) {
          last = Math.max(last, outputEndedAt[u]);
        }
        if (last <= round) {
          inputEndedAt[i] = round;
        }
      }
      FrontierLag lag = lags.get(i);
      boolean ended = inputEndedAt[i] != NEVER && round >= inputEndedAt[i] + lag.beforeLogic();
      inboxes.get(i).inputEnded(ended);
      ExchangeLink link = links.get(i);
      if (ended && lag.afterLogic() == 0 && outputEndedAt[i] == NEVER && (link == null || link.allEnded())) {
        // Holding no capabilities, the step passes the end on at once.
        outputEndedAt[i] = round;
      }
      // Sources work in the current epoch; every other step in the earliest its input can bring.
      long inputEpoch = upstreams.get(i).length == 0 ? epoch : NEVER;
      for (int u : upstreams.get(i)) {
        inputEpoch = Math.min(inputEpoch, outputEpochs[u]);
      }
      if (inputEpoch != NEVER) {
        stepEpochs[i] = inputEpoch;
      }
      outputEpochs[i] = outputEndedAt[i] <= round ? NEVER : stepEpochs[i];
      // Counting rounds down is work; waiting for other workers' ends is not.
      inFlight |=
          inputEndedAt[i] != NEVER && !ended
              || outputEndedAt[i] != NEVER && outputEndedAt[i] > round;
    }
    return inFlight;
  }

  boolean isDone() {
    return done;
  }

  /**
   * The epoch the step at {@code stepIndex} works in. It can be earlier than the worker's: as in
   * Bytewax, a step whose input ended keeps the epoch it ended in while the end travels on, and
   * so do the steps after it, whatever epochs other sources have opened since.
   */
  long epochOf(int stepIndex) {
    return stepEpochs[stepIndex];
  }

  /**
   * While ending an epoch: tells other workers where this one is done with the epoch and says
   * whether every step has now seen all its data of the epoch. Steps are visited in creation
   * order, so a step counts as finished with the epoch only when all it reads is.
   */
  private boolean epochEndsHere() {
    boolean[] finished = new boolean[runners.size()];
    boolean all = true;
    for (int i = 0; i < runners.size(); i++) {
      boolean upstreamFinished = true;
      for (int u : upstreams.get(i)) {
        upstreamFinished &= finished[u];
      }
      ExchangeLink link = links.get(i);
      if (link != null && upstreamFinished) {
        link.endEpoch(epoch);
      }
      // Sources are paused while an epoch ends, so they are finished with it at once.
      finished[i] =
          upstreamFinished
              && inboxes.get(i).isEmpty()
              && (link == null || link.allAtEpochEnd());
      all &= finished[i];
    }
    return all;
  }

  private void closeEpoch(Instant now) {
    Recovery recovery = options.recovery();
    List<Snapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < runners.size(); i++) {
      String stepId = graph.steps().get(i).id();
      runners.get(i).closeEpoch(epoch, recovery == null ? IGNORED : encodingInto(snapshots, stepId, recovery.codec()));
    }
    if (recovery != null) {
      recovery.store().epochClosed(epoch, snapshots, done);
    }
    LOG.debug("worker {} of flow {} closed epoch {}", index, graph.flowId(), epoch);
    if (options.epochListener() != null) {
      long liveKeys = 0;
      for (StepRunner runner : runners) {
        liveKeys += runner.liveKeys();
      }
      options.epochListener().epochClosed(epoch, liveKeys);
    }
    for (ExchangeLink link : links) {
      if (link != null) {
        link.epochClosed();
      }
    }
    epoch += 1;
    epochStart = now;
    endingEpoch = false;
    sourcesResumeAt = round + epochCloseRounds + 1;
    if (commitsOutput) {
      noteDurable();
    }
  }

  /**
   * Tells the steps that commit output with the snapshots how far the snapshots are durable:
   * without recovery an epoch is final once closed; with it, once every process committed it.
   */
  private void noteDurable() {
    Recovery recovery = options.recovery();
    long durable = recovery == null ? epoch - 1 : recovery.store().durableEpoch();
    if (durable > durableEpoch) {
      durableEpoch = durable;
      for (StepRunner runner : runners) {
        if (runner.commitsOutput()) {
          runner.epochDurable(durable);
        }
      }
    }
  }

  /**
   * After the last epoch: waits until its snapshots are durable everywhere, so output held back
   * for them is committed before the run returns. Other processes' commits arrive meanwhile.
   */
  void awaitDurable() {
    while (commitsOutput && durableEpoch < epoch - 1) {
      execution.checkPeers(index);
      noteDurable();
      if (durableEpoch < epoch - 1) {
        LockSupport.parkNanos(MIN_IDLE.toNanos());
      }
    }
  }

  private static final Snapshots IGNORED =
      new Snapshots() {
        @Override
        public void put(String key, Object state) {}

        @Override
        public void putEncoded(String key, byte[] state) {}

        @Override
        public void discard(String key) {}
      };

  /** Collects a step's snapshots, encoded on this worker's thread. */
  private static Snapshots encodingInto(List<Snapshot> snapshots, String stepId, StateCodec codec) {
    return new Snapshots() {
      @Override
      public void put(String key, Object state) {
        snapshots.add(new Snapshot(stepId, key, codec.encode(stepId, key, state)));
      }

      @Override
      public void putEncoded(String key, byte[] state) {
        snapshots.add(new Snapshot(stepId, key, state));
      }

      @Override
      public void discard(String key) {
        snapshots.add(Snapshot.discarded(stepId, key));
      }
    };
  }

  /**
   * The state {@code stepId}'s keys resume with, decoded here, for the keys {@code owned} picks;
   * empty without recovery.
   */
  Map<String, Object> resumeStates(String stepId, Predicate<String> owned) {
    Map<String, byte[]> encoded = resumeEncoded(stepId, owned);
    if (encoded.isEmpty()) {
      return Map.of();
    }
    List<String> keys = new ArrayList<>(encoded.keySet());
    List<Object> decoded = options.recovery().codec().decodeEach(stepId, keys, new ArrayList<>(encoded.values()));
    Map<String, Object> states = new TreeMap<>();
    for (int i = 0; i < keys.size(); i++) {
      states.put(keys.get(i), decoded.get(i));
    }
    return states;
  }

  Map<String, byte[]> resumeEncoded(String stepId, Predicate<String> owned) {
    Map<String, byte[]> states = new TreeMap<>();
    if (options.recovery() != null) {
      options.recovery().store().resumeStates(stepId).forEach(
          (key, bytes) -> {
            if (owned.test(key)) {
              states.put(key, bytes);
            }
          });
    }
    return states;
  }

  StateCodec stateCodec() {
    return options.recovery() == null ? null : options.recovery().codec();
  }

  /** How long to sleep after a round without work; data arriving wakes the worker earlier. */
  long idleNanos() {
    Instant now = now();
    Instant until =
        endingEpoch || options.epochInterval().isZero()
            ? now.plus(MAX_IDLE)
            : epochStart.plus(options.epochInterval());
    for (StepRunner runner : runners) {
      Instant wake = runner.wakeAt();
      if (wake != null && wake.isBefore(until)) {
        until = wake;
      }
    }
    Duration nap = Duration.between(now, until);
    if (nap.compareTo(MIN_IDLE) < 0 || execution.congested(index)) {
      nap = MIN_IDLE;
    } else if (nap.compareTo(MAX_IDLE) > 0) {
      nap = MAX_IDLE;
    }
    return nap.toNanos();
  }

  /** Builds one runner per step and connects each output port to the inboxes reading it. */
  private void wire() {
    Map<String, Outlet> outletsByStream = new HashMap<>();
    Map<String, Integer> stepByStream = new HashMap<>();
    List<Step> steps = graph.steps();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      Inbox inbox = new Inbox(step.inputs().size());
      Map<String, Outlet> outlets = new LinkedHashMap<>();
      for (String port : step.spec().outputPorts()) {
        Outlet outlet = new Outlet();
        outlets.put(port, outlet);
        outletsByStream.put(step.output(port), outlet);
        stepByStream.put(step.output(port), i);
      }
      int[] reads = new int[step.inputs().size()];
      for (int k = 0; k < reads.length; k++) {
        String input = step.inputs().get(k);
        outletsByStream.get(input).connect(inbox, k);
        reads[k] = stepByStream.get(input);
      }
      StepRunner runner = step.spec().newRunner(new StepContext(step.id(), i, this, inbox, outlets, metricsOf(step.id())));
      Exchange exchange = runner.exchange();
      ExchangeLink link =
          exchange == null
              ? null
              : new ExchangeLink(execution, i, step.id(), index, exchange, codec, inbox);
      if (link != null) {
        inbox.exchangeThrough(link);
      }
      runners.add(runner);
      traceNames.add(step.spec().traceName(step.id()));
      inboxes.add(inbox);
      links.add(link);
      upstreams.add(reads);
      lags.add(step.spec().frontierLag());
    }
    inputEndedAt = new long[steps.size()];
    outputEndedAt = new long[steps.size()];
    stepEpochs = new long[steps.size()];
    outputEpochs = new long[steps.size()];
    Arrays.fill(inputEndedAt, NEVER);
    Arrays.fill(outputEndedAt, NEVER);
    Arrays.fill(stepEpochs, epoch);
    epochCloseRounds = probeDepth() + 1;
  }

  /**
   * How many rounds after a source ends an epoch Bytewax's probe sees it: the most capability
   * holding operators on a path from a source to the probe. Without recovery the probe watches
   * the outputs; with it, the recovery writers, which read every step's snapshots through eight
   * more operators (partition, route and write for the snapshots and then the frontiers, the
   * frontier itself and the commit).
   */
  private int probeDepth() {
    List<Step> steps = graph.steps();
    // The rounds after a source's epoch close in which each step's output shows it.
    int[] outputDepth = new int[steps.size()];
    int depth = 0;
    for (int i = 0; i < steps.size(); i++) {
      StepSpec spec = steps.get(i).spec();
      int inputDepth = -1;
      for (int u : upstreams.get(i)) {
        inputDepth = Math.max(inputDepth, outputDepth[u]);
      }
      FrontierLag lag = lags.get(i);
      outputDepth[i] = inputDepth + lag.total();
      if (options.recovery() == null && spec.isOutput()) {
        depth = Math.max(depth, outputDepth[i]);
      } else if (options.recovery() != null && spec.writesSnapshots()) {
        depth = Math.max(depth, inputDepth + lag.beforeLogic() + 1 + RECOVERY_WRITER_DEPTH);
      }
    }
    return depth;
  }

  /**
   * Stops every runner; the first failure wins and later ones are attached to it.
   *
   * @return the failure to report, or null
   */
  RuntimeException stop(RuntimeException failure) {
    spans.runEnded();
    if (failure != null) {
      execution.fail(index, failure);
    }
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
    return index;
  }

  int count() {
    return execution.workerCount();
  }

  long epoch() {
    return epoch;
  }

  /**
   * Sources wait while an epoch ends, until Bytewax's probe would have seen it closed, and while
   * too much of their output is still in flight.
   */
  boolean sourcesPaused() {
    return endingEpoch || round < sourcesResumeAt || execution.congested(index);
  }

  Instant now() {
    return options.clock().instant();
  }
}
