package dev.wax.engine.runtime;

import dev.wax.engine.WaxException;
import dev.wax.engine.recovery.RecoveryPeers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Recovery's view of the other processes through the cluster {@link Transport}: payloads that
 * arrive before the store listens wait in a queue per process.
 */
final class ClusterPeers implements RecoveryPeers {
  /** How long a process may take to share its recovery state (a large one takes a while). */
  private static final long TAKE_TIMEOUT_SECONDS = 120;
  /** What a process run without recovery sends in place of the store's payloads (never empty). */
  private static final byte[] WITHOUT_RECOVERY = new byte[0];

  private final Execution execution;
  private final Transport transport;
  private final int processId;
  private final List<LinkedBlockingQueue<byte[]>> queues = new ArrayList<>();
  private BiConsumer<Integer, byte[]> handler;

  ClusterPeers(Execution execution, Transport transport, int processId, int processCount) {
    this.execution = execution;
    this.transport = transport;
    this.processId = processId;
    for (int p = 0; p < processCount; p++) {
      queues.add(new LinkedBlockingQueue<>());
    }
  }

  @Override
  public int processCount() {
    return queues.size();
  }

  @Override
  public int processId() {
    return processId;
  }

  @Override
  public void send(int process, byte[] payload) {
    transport.sendRecovery(process, payload);
  }

  /**
   * Tells the other processes this one runs without recovery, so one that runs with it fails at
   * once instead of waiting for state that never comes.
   */
  void announceWithoutRecovery() {
    sendToOthers(WITHOUT_RECOVERY);
  }

  @Override
  public byte[] take(int process) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TAKE_TIMEOUT_SECONDS);
    try {
      while (true) {
        byte[] payload = queues.get(process).poll(50, TimeUnit.MILLISECONDS);
        if (payload != null && payload.length == 0) {
          throw new WaxException(
              "process " + process + " runs without recovery but process " + processId
                  + " runs with it; run every process with the same recovery options (-r, -s, -b)");
        }
        if (payload != null) {
          return payload;
        }
        if (System.nanoTime() > deadline) {
          // A process run without recovery never shares any.
          throw new WaxException(
              "process " + process + " did not share its recovery state within " + TAKE_TIMEOUT_SECONDS
                  + " s; run every process with the same recovery options (-r, -s, -b)");
        }
        if (execution.isCutShort()) {
          String remote = execution.remoteFailure();
          throw new WaxException(remote != null ? remote : "the cluster stopped while its processes resumed from recovery");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WaxException("interrupted while resuming from recovery");
    }
  }

  @Override
  public synchronized void listen(BiConsumer<Integer, byte[]> handler) {
    for (int p = 0; p < queues.size(); p++) {
      byte[] payload;
      while ((payload = queues.get(p).poll()) != null) {
        handler.accept(p, payload);
      }
    }
    this.handler = handler;
  }

  /** A payload from process {@code from}; called by the transport. */
  synchronized void deliver(int from, byte[] payload) {
    if (handler != null) {
      handler.accept(from, payload);
    } else {
      queues.get(from).add(payload);
    }
  }
}
