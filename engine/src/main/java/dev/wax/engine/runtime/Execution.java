package dev.wax.engine.runtime;

import dev.wax.engine.AbortExecution;
import dev.wax.engine.Graph;
import dev.wax.engine.PeerFailedException;
import dev.wax.engine.Step;
import dev.wax.engine.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of a dataflow by a set of workers in this process: the queues carrying exchanged items
 * between them, the shared fate (one worker failing stops all), and the ways to run them: one
 * thread per worker, or all workers taking turns on one thread.
 *
 * <p>Queues are bounded softly: a worker whose sent items are not yet taken beyond {@link
 * #MAX_IN_FLIGHT_ITEMS} stops polling its sources until receivers catch up. Sending never blocks,
 * so two workers sending to each other cannot deadlock.
 */
public final class Execution {
  /** Items one worker may have in flight to others before its sources pause. */
  static final long MAX_IN_FLIGHT_ITEMS = 200_000;

  private final int workerCount;
  private final ConcurrentHashMap<Long, Queue<Message>> queues = new ConcurrentHashMap<>();
  private final AtomicLongArray inFlight;
  private final AtomicReferenceArray<Thread> threads;
  private final AtomicReference<Failure> failure = new AtomicReference<>();
  private volatile boolean aborted;
  private List<String> shape;
  private int shapeWorker;

  private record Failure(int worker, RuntimeException cause) {}

  public Execution(int workerCount) {
    if (workerCount < 1) {
      throw new UsageException("a run needs at least one worker; got " + workerCount);
    }
    this.workerCount = workerCount;
    this.inFlight = new AtomicLongArray(workerCount);
    this.threads = new AtomicReferenceArray<>(workerCount);
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
   * Runs {@code body} once per worker, each on its own thread named after the worker, and returns
   * when all have finished.
   */
  public void onThreads(IntConsumer body) {
    List<Thread> started = new ArrayList<>();
    for (int w = 0; w < workerCount; w++) {
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
      new Worker(graph, options, this, index, codec).run();
    } catch (RuntimeException e) {
      fail(index, e);
      throw e;
    }
  }

  /**
   * Runs every worker on this thread, each taking a scheduling round in turn: for workers that
   * share objects that only one thread may use (one Python Context).
   */
  public void runCooperatively(Graph graph, RunOptions options, BatchCodec codec) {
    List<Worker> workers = new ArrayList<>();
    for (int w = 0; w < workerCount; w++) {
      threads.set(w, Thread.currentThread());
      workers.add(new Worker(graph, options, this, w, codec));
    }
    RuntimeException error = null;
    try {
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
      // A source asked to stop at once: no EOF, no error.
    } catch (RuntimeException e) {
      error = e;
    }
    for (Worker worker : workers) {
      error = worker.stop(error);
    }
    if (error != null) {
      throw error;
    }
  }

  public int workerCount() {
    return workerCount;
  }

  /** Records that worker {@code worker} failed, so every other worker stops. */
  public void fail(int worker, RuntimeException cause) {
    if (cause instanceof PeerFailedException) {
      return;
    }
    if (failure.compareAndSet(null, new Failure(worker, cause))) {
      unparkAll();
    }
  }

  private void unparkAll() {
    for (int w = 0; w < workerCount; w++) {
      Thread thread = threads.get(w);
      if (thread != null) {
        LockSupport.unpark(thread);
      }
    }
  }

  /** A source aborted the run: every worker stops at once, without EOF and without error. */
  void abort() {
    aborted = true;
    unparkAll();
  }

  /** Throws when a worker other than {@code self} has failed, or a source aborted the run. */
  void checkPeers(int self) {
    Failure failed = failure.get();
    if (failed != null && failed.worker != self) {
      throw new PeerFailedException(failed.worker, self);
    }
    if (aborted) {
      throw new AbortExecution();
    }
  }

  private void rethrowFailure() {
    Failure failed = failure.get();
    if (failed != null) {
      throw failed.cause;
    }
  }

  void send(int from, int to, int step, Message message) {
    if (message instanceof Message.Data data) {
      inFlight.addAndGet(from, data.items());
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
      inFlight.addAndGet(from, -data.items());
    }
    return message;
  }

  /** Whether worker {@code from} has so much in flight that its sources should wait. */
  boolean congested(int from) {
    return inFlight.get(from) > MAX_IN_FLIGHT_ITEMS;
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
}
