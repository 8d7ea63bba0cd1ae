package dev.wax.engine.runtime;

/**
 * Carries messages to the workers of other processes, and theirs to the {@link Execution} of this
 * one. The Netty mesh of {@code dev.wax.engine.cluster} is the implementation.
 */
public interface Transport {
  /** Connects the transport to the execution it delivers to; called once, before any send. */
  void bind(Execution execution);

  /** Blocks until every other process is connected; throws a clear error when one cannot be. */
  void awaitReady();

  /** Sends to a worker of another process; may buffer until {@link #flush()}. */
  void send(int toWorker, int step, int fromWorker, Message message);

  /** Sends recovery bookkeeping to process {@code process} at once, in order with other sends. */
  void sendRecovery(int process, byte[] payload);

  /** Sends what {@link #send} buffered. */
  void flush();

  /** Whether the connections hold so much unsent data that sources should wait. */
  boolean congested();

  /** Stops (or resumes) reading from process {@code process} while its items pile up here. */
  void setReading(int process, boolean reading);

  /** Tells every other process that a worker here failed, with a message saying why. */
  void broadcastFailure(int worker, String message);

  /** Tells every other process that a source here aborted the run. */
  void broadcastAbort();

  /**
   * Every local worker is done: says so to the other processes and waits until they are done
   * too (or one fails), so all processes agree the run ended.
   */
  void finish();

  /** Closes every connection; after a failure, at once. */
  void close();
}
