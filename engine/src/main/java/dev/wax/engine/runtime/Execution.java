package dev.wax.engine.runtime;

import dev.wax.engine.AbortExecution;
import dev.wax.engine.Graph;
import dev.wax.engine.PeerFailedException;
import dev.wax.engine.RunInterrupted;
import dev.wax.engine.Step;
import dev.wax.engine.UsageException;
import dev.wax.engine.UserCodeException;
import dev.wax.engine.WaxException;
import dev.wax.engine.recovery.RecoveryStore;
import dev.wax.engine.recovery.StateOwners;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of a dataflow by the workers of this process, as part of a cluster or alone: the queues
 * carrying exchanged items between workers, the {@link Transport} to other processes, the shared
 * fate (one worker failing stops all, here and elsewhere), and the ways to run the local workers:
 * one thread each, or all taking turns on one thread.
 *
 * <p>Worker {@code w} lives in process {@code w / workersPerProcess}. Queues are bounded softly: a
 * worker whose sent items are not yet taken beyond {@link #MAX_IN_FLIGHT_ITEMS} (or whose
 * connections to other processes are full) stops polling its sources until receivers catch up.
 * Sending never blocks, so two workers sending to each other cannot deadlock.
 */
public final class Execution {
  /** Items one worker may have in flight to others before its sources pause. */
  static final long MAX_IN_FLIGHT_ITEMS = 200_000;

  private final int workersPerProcess;
  private final int processId;
  private final int workerCount;
  private final Transport transport;
  private final ConcurrentHashMap<Long, Queue<Message>> queues = new ConcurrentHashMap<>();
  private final AtomicLongArray inFlight;
  /** Per process: items it sent that are queued here and not yet taken. */
  private final AtomicLongArray fromProcess;
  /** Per process: 1 while this process does not read its connection (local queues too full). */
  private final AtomicIntegerArray paused;
  private final AtomicReferenceArray<Thread> threads;
  /** Per worker: what other threads asked to run on its thread between rounds. */
  private final ConcurrentHashMap<Integer, Queue<Runnable>> tasks = new ConcurrentHashMap<>();
  private final boolean[] sentRemote;
  private final AtomicReference<Failure> failure = new AtomicReference<>();
  private volatile boolean aborted;
  private volatile boolean interrupted;
  private List<String> shape;
  private RecoveryStore recoveryStore;
  /** The other processes as recovery sees them; null when this process runs alone. */
  private final ClusterPeers peers;
  private int shapeWorker;
  private boolean announcedWithoutRecovery;

  private record Failure(int worker, RuntimeException cause) {}

  /** A run of {@code workerCount} workers, all in this process. */
  public Execution(int workerCount) {
    this(workerCount, 0, 1, null);
  }

  /**
   * Process {@code processId} of a cluster of {@code processCount} processes with {@code
   * workersPerProcess} workers each, reaching the others through {@code transport}.
   */
  public Execution(int workersPerProcess, int processId, int processCount, Transport transport) {
    if (workersPerProcess < 1) {
      throw new UsageException("a run needs at least one worker per process; got " + workersPerProcess);
    }
    this.workersPerProcess = workersPerProcess;
    this.processId = processId;
    this.workerCount = workersPerProcess * processCount;
    this.transport = transport;
    this.inFlight = new AtomicLongArray(workerCount);
    this.fromProcess = new AtomicLongArray(processCount);
    this.paused = new AtomicIntegerArray(processCount);
    this.threads = new AtomicReferenceArray<>(workerCount);
    this.sentRemote = new boolean[workerCount];
    this.peers = transport == null ? null : new ClusterPeers(this, transport, processId, processCount);
    if (transport != null) {
      transport.bind(this);
    }
  }

  /**
   * Runs a dataflow of Java functions with {@code options.workers()} workers, one thread each
   * (the calling thread alone for one worker). The first worker's failure is rethrown.
   */
  public static void run(Graph graph, RunOptions options) {
    Execution execution = new Execution(options.workers());
    if (options.workers() == 1) {
      execution.runWorker(0, graph, options, BatchCodec.SHARED);
      return;
    }
    execution.onThreads(
        index -> {
          try {
            execution.runWorker(index, graph, options, BatchCodec.SHARED);
          } catch (RuntimeException e) {
            // Recorded by runWorker; rethrown below from the calling thread.
          }
        });
    execution.rethrowFailure();
  }

  /**
   * Runs {@code body} once per local worker, each on its own thread named after the worker, and
   * returns when all have finished.
   */
  public void onThreads(IntConsumer body) {
    List<Thread> started = new ArrayList<>();
    for (int w = firstLocal(); w < firstLocal() + workersPerProcess; w++) {
      int index = w;
      Thread thread = new Thread(() -> body.accept(index), "wax-worker-" + index);
      started.add(thread);
      thread.start();
    }
    boolean interrupted = false;
    for (Thread thread : started) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs worker {@code index} on this thread until the dataflow completes or a worker fails.
   * Every worker must run the same graph.
   */
  public void runWorker(int index, Graph graph, RunOptions options, BatchCodec codec) {
    try {
      checkSameGraph(index, graph);
      threads.set(index, Thread.currentThread());
      awaitPeers();
      announceRecoveryChoice(options);
      new Worker(graph, options, this, index, codec).run();
    } catch (RuntimeException e) {
      fail(index, e);
      throw e;
    }
  }

  /**
   * Runs every local worker on this thread, each taking a scheduling round in turn, then {@link
   * #finish()}es: for workers that share objects only one thread may use (one Python Context).
   */
  public void runCooperatively(Graph graph, RunOptions options, BatchCodec codec) {
    List<Worker> workers = new ArrayList<>();
    for (int w = firstLocal(); w < firstLocal() + workersPerProcess; w++) {
      threads.set(w, Thread.currentThread());
      workers.add(new Worker(graph, options, this, w, codec));
    }
    RuntimeException error = null;
    try {
      awaitPeers();
      announceRecoveryChoice(options);
      for (Worker worker : workers) {
        worker.start();
      }
      while (true) {
        boolean progress = false;
        boolean done = true;
        for (Worker worker : workers) {
          if (!worker.isDone()) {
            progress |= worker.round();
            done &= worker.isDone();
          }
        }
        if (done) {
          for (Worker worker : workers) {
            worker.awaitDurable();
          }
          break;
        }
        if (!progress) {
          long nap = Long.MAX_VALUE;
          for (Worker worker : workers) {
            if (!worker.isDone()) {
              nap = Math.min(nap, worker.idleNanos());
            }
          }
          LockSupport.parkNanos(nap);
        }
      }
    } catch (AbortExecution abort) {
      abort();
    } catch (RuntimeException e) {
      error = e;
    }
    for (Worker worker : workers) {
      error = worker.stop(error);
    }
    finish();
    if (error != null) {
      throw error;
    }
  }

  /**
   * The local workers are all done: agrees the end of the run with the other processes (unless
   * the run failed) and closes the connections. Call once, after the last local worker returned.
   */
  public void finish() {
    try {
      if (transport != null && !hasFailed() && !aborted) {
        // Other processes' last snapshots for this one's partitions arrive before their goodbyes.
        transport.finish();
      }
    } finally {
      synchronized (this) {
        if (recoveryStore != null) {
          recoveryStore.close();
          recoveryStore = null;
        }
      }
      if (transport != null) {
        transport.close();
      }
    }
  }

  /** Recovery bookkeeping from process {@code from}; called by the transport. */
  public void deliverRecovery(int from, byte[] payload) {
    peers.deliver(from, payload);
  }

  public int workerCount() {
    return workerCount;
  }

  /**
   * The recovery partitions in {@code dir}, opened once for all local workers of this run (the
   * first worker to ask opens them) and closed when the run {@link #finish()}es.
   *
   * @param backupEpochs how many epochs superseded snapshots are kept for
   * @param graph the dataflow: in a cluster, the state of a step that keeps it per key goes only
   *     to the process of the key's owner
   */
  public synchronized RecoveryStore openRecovery(Path dir, long backupEpochs, Graph graph) {
    if (recoveryStore == null) {
      // In a cluster the processes agree where to resume: all of them must be connected.
      awaitPeers();
      Set<String> perKey = new HashSet<>();
      for (Step step : graph.steps()) {
        if (step.spec().keepsStatePerKey()) {
          perKey.add(step.id());
        }
      }
      StateOwners owners =
          (stepId, key) ->
              perKey.contains(stepId)
                  ? Exchange.ownerOf(key, workerCount) / workersPerProcess
                  : StateOwners.EVERY_PROCESS;
      recoveryStore = RecoveryStore.open(dir, backupEpochs, workersPerProcess, peers, owners);
    }
    return recoveryStore;
  }

  /** The index of this process's first worker. */
  public int firstLocal() {
    return processId * workersPerProcess;
  }

  /**
   * Runs {@code task} on worker {@code worker}'s thread between two of its rounds, soon: for what
   * only that thread may touch (its Python Context). A task for a worker that has ended never runs.
   */
  public void onWorkerThread(int worker, Runnable task) {
    tasks.computeIfAbsent(worker, w -> new ConcurrentLinkedQueue<>()).add(task);
    Thread thread = threads.get(worker);
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  /** Runs the tasks queued for {@code worker}; called by its thread between rounds. */
  void runTasks(int worker) {
    Queue<Runnable> queued = tasks.get(worker);
    Runnable task;
    while (queued != null && (task = queued.poll()) != null) {
      task.run();
    }
  }

  private boolean isLocal(int worker) {
    return worker / workersPerProcess == processId;
  }

  /** In a cluster, a process running without recovery says so once per run (see ClusterPeers). */
  private synchronized void announceRecoveryChoice(RunOptions options) {
    if (peers != null && options.recovery() == null && !announcedWithoutRecovery) {
      announcedWithoutRecovery = true;
      peers.announceWithoutRecovery();
    }
  }

  private void awaitPeers() {
    if (transport != null) {
      transport.awaitReady();
    }
  }

  /** Records that worker {@code worker} failed, so every other worker stops, here and elsewhere. */
  public void fail(int worker, RuntimeException cause) {
    if (cause instanceof PeerFailedException) {
      return;
    }
    if (failure.compareAndSet(null, new Failure(worker, cause))) {
      if (transport != null && isLocal(worker) && !(cause instanceof RemoteFailure)) {
        transport.broadcastFailure(worker, describe(cause));
      }
      unparkAll();
    }
  }

  /** A worker of another process failed (or the process was lost); the message says how. */
  public void failRemote(int worker, String message) {
    if (!aborted) {
      // After an abort, processes close their connections without goodbyes: that is no failure.
      fail(worker, new RemoteFailure(message));
    }
  }

  /** Whether any worker, here or elsewhere, has failed. */
  public boolean hasFailed() {
    return failure.get() != null;
  }

  /** Whether the run ends early: a worker failed or a source aborted, here or elsewhere. */
  public boolean isCutShort() {
    return aborted || hasFailed();
  }

  /**
   * Why the run failed when another process caused it, for this process to print (a local
   * failure was reported where it happened); else null.
   */
  public String remoteFailure() {
    Failure failed = failure.get();
    return failed != null && failed.cause instanceof RemoteFailure ? failed.cause.getMessage() : null;
  }

  private static String describe(RuntimeException cause) {
    if (cause instanceof UserCodeException user && user.isUnwrapped()) {
      return "error in step \"" + user.stepId() + "\": " + user.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  /** A source aborted the run: every worker stops at once, without EOF and without error. */
  void abort() {
    if (!aborted && transport != null) {
      transport.broadcastAbort();
    }
    aborted = true;
    unparkAll();
  }

  /** Ctrl-C: every local worker stops at its next round with {@link RunInterrupted}. */
  public void interrupt() {
    interrupted = true;
    unparkAll();
  }

  /** A source of another process aborted the run. */
  public void abortRemote() {
    aborted = true;
    unparkAll();
  }

  private void unparkAll() {
    for (int w = 0; w < workerCount; w++) {
      Thread thread = threads.get(w);
      if (thread != null) {
        LockSupport.unpark(thread);
      }
    }
  }

  /** Throws when a worker other than {@code self} has failed, a source aborted, or Ctrl-C stopped the run. */
  void checkPeers(int self) {
    Failure failed = failure.get();
    if (failed != null && failed.worker != self) {
      throw new PeerFailedException(failed.worker, self);
    }
    if (aborted) {
      throw new AbortExecution();
    }
    if (interrupted) {
      throw new RunInterrupted();
    }
  }

  private void rethrowFailure() {
    Failure failed = failure.get();
    if (failed != null) {
      throw failed.cause;
    }
  }

  void send(int from, int to, int step, Message message) {
    if (isLocal(to)) {
      if (message instanceof Message.Data data) {
        inFlight.addAndGet(from, data.items());
      }
      deliver(to, step, from, message);
    } else {
      transport.send(to, step, from, message);
      sentRemote[from] = true;
    }
  }

  /** Queues a message for local worker {@code to} and wakes it. */
  public void deliver(int to, int step, int from, Message message) {
    if (!isLocal(from) && message instanceof Message.Data data) {
      int process = from / workersPerProcess;
      if (fromProcess.addAndGet(process, data.items()) > 2 * MAX_IN_FLIGHT_ITEMS) {
        updateReading(process);
      }
    }
    queues.computeIfAbsent(queueKey(to, step, from), k -> new ConcurrentLinkedQueue<>()).add(message);
    Thread receiver = threads.get(to);
    if (receiver != null) {
      LockSupport.unpark(receiver);
    }
  }

  Message poll(int to, int step, int from) {
    Queue<Message> queue = queues.get(queueKey(to, step, from));
    Message message = queue == null ? null : queue.poll();
    if (message instanceof Message.Data data) {
      if (isLocal(from)) {
        inFlight.addAndGet(from, -data.items());
      } else {
        int process = from / workersPerProcess;
        fromProcess.addAndGet(process, -data.items());
        if (paused.get(process) == 1) {
          updateReading(process);
        }
      }
    }
    return message;
  }

  /**
   * Stops reading a process's connection while too many of its items wait here, so its
   * connection fills up and its sources wait; resumes below half that. Only that process is
   * paused: another's epoch-end mark may be what the local workers wait for.
   */
  private void updateReading(int process) {
    synchronized (paused) {
      long waiting = fromProcess.get(process);
      boolean pause = paused.get(process) == 1 ? waiting >= MAX_IN_FLIGHT_ITEMS : waiting > 2 * MAX_IN_FLIGHT_ITEMS;
      if (pause != (paused.get(process) == 1)) {
        paused.set(process, pause ? 1 : 0);
        transport.setReading(process, !pause);
      }
    }
  }

  /** Sends what worker {@code from} left buffered for other processes this round. */
  void flush(int from) {
    if (sentRemote[from]) {
      sentRemote[from] = false;
      transport.flush();
    }
  }

  /** Whether worker {@code from} has so much in flight that its sources should wait. */
  boolean congested(int from) {
    return inFlight.get(from) > MAX_IN_FLIGHT_ITEMS || (transport != null && transport.congested());
  }

  private static long queueKey(int to, int step, int from) {
    return ((long) to << 42) | ((long) step << 21) | from;
  }

  /** Every worker builds the graph itself: they must agree step by step. */
  synchronized void checkSameGraph(int worker, Graph graph) {
    List<String> mine = new ArrayList<>();
    for (Step step : graph.steps()) {
      mine.add(step.id() + " (" + step.spec().getClass().getSimpleName() + ") reading " + step.inputs());
    }
    if (shape == null) {
      shape = mine;
      shapeWorker = worker;
      return;
    }
    if (shape.equals(mine)) {
      return;
    }
    int i = 0;
    while (i < shape.size() && i < mine.size() && shape.get(i).equals(mine.get(i))) {
      i++;
    }
    String theirs = i < shape.size() ? shape.get(i) : "no step";
    String ours = i < mine.size() ? mine.get(i) : "no step";
    throw new UsageException(
        "worker "
            + worker
            + " built a different dataflow than worker "
            + shapeWorker
            + ": step "
            + (i + 1)
            + " is "
            + ours
            + " there but "
            + theirs
            + " on worker "
            + shapeWorker
            + "; a dataflow must be built the same way on every worker");
  }

  /** Another process reported a failure, or was lost. */
  static final class RemoteFailure extends WaxException {
    RemoteFailure(String message) {
      super(message);
    }
  }
}
