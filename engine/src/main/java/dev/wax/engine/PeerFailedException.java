package dev.wax.engine;

/**
 * Another worker of the run failed, so this one stopped. The failed worker reports the error
 * itself; this exception only says why the others stopped.
 */
public class PeerFailedException extends WaxException {
  private final int failedWorker;

  public PeerFailedException(int failedWorker, int self) {
    super("worker " + self + " stopped because worker " + failedWorker + " failed");
    this.failedWorker = failedWorker;
  }

  public int failedWorker() {
    return failedWorker;
  }
}
