package dev.wax.bridge;

import dev.wax.engine.cluster.ClusterConfig;
import dev.wax.engine.cluster.Mesh;
import dev.wax.engine.runtime.Execution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The dataflow runs the workers of this process make together when each worker has its own
 * Context running the same program: the k-th run of every worker's program joins the k-th run
 * of the others (and of the other processes of the cluster).
 */
final class RunSeries {
  private final int workers;
  private final ClusterConfig cluster;
  private final List<Execution> runs = new ArrayList<>();
  private final List<AtomicInteger> running = new ArrayList<>();
  /** Workers whose program ended in a failure: the run they will never join, and why. */
  private final Map<Integer, GaveUp> gaveUp = new HashMap<>();

  private record GaveUp(int run, RuntimeException cause) {}

  /** Starts the first run now, so a cluster that cannot form fails before any Python starts. */
  RunSeries(int workers, ClusterConfig cluster) {
    this.workers = workers;
    this.cluster = cluster;
    run(0);
  }

  /** Run {@code k}, started when the first worker reaches it. */
  synchronized Execution run(int k) {
    while (runs.size() <= k) {
      Execution run = start(runs.size());
      int number = runs.size();
      gaveUp.forEach((worker, at) -> {
        if (at.run() <= number) {
          run.fail(worker, at.cause());
        }
      });
      runs.add(run);
      running.add(new AtomicInteger(workers));
    }
    return runs.get(k);
  }

  private Execution start(int k) {
    return cluster == null ? new Execution(workers) : Mesh.join(cluster, workers, k);
  }

  /** A worker left run {@code k}; the last one here agrees its end with the other processes. */
  void left(int k) {
    AtomicInteger left;
    synchronized (this) {
      left = running.get(k);
    }
    if (left.decrementAndGet() == 0) {
      run(k).finish();
    }
  }

  /**
   * Worker {@code worker}'s program failed before its run {@code k}: the other workers must not
   * wait for it there, now or once that run starts.
   */
  synchronized void gaveUp(int worker, int k, RuntimeException cause) {
    gaveUp.put(worker, new GaveUp(k, cause));
    if (k < runs.size()) {
      runs.get(k).fail(worker, cause);
    }
  }

  /** Runs {@code body} once per local worker, each on its own thread. */
  void onThreads(IntConsumer body) {
    run(0).onThreads(body);
  }

  /** Why a run failed when another process caused it; else null. */
  synchronized String remoteFailure() {
    for (Execution run : runs) {
      if (run.remoteFailure() != null) {
        return run.remoteFailure();
      }
    }
    return null;
  }
}
