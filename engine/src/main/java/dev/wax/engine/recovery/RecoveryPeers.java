package dev.wax.engine.recovery;

import java.util.function.BiConsumer;

/**
 * The other processes of a cluster, as the recovery store talks to them: each process opens the
 * partitions it owns, and the processes agree where to resume, share the state to resume with,
 * and send each epoch's snapshots to the owners of their partitions.
 */
public interface RecoveryPeers {
  int processCount();

  int processId();

  /** Sends {@code payload} to process {@code process}, in order with earlier sends. */
  void send(int process, byte[] payload);

  /** Sends {@code payload} to every process but this one. */
  default void sendToOthers(byte[] payload) {
    for (int p = 0; p < processCount(); p++) {
      if (p != processId()) {
        send(p, payload);
      }
    }
  }

  /** Waits for the next payload from {@code process}; fails if the cluster stopped. */
  byte[] take(int process);

  /** From now on, hands every payload (queued ones first) to {@code handler}. */
  void listen(BiConsumer<Integer, byte[]> handler);
}
