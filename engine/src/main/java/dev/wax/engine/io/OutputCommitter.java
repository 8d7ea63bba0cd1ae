package dev.wax.engine.io;

/**
 * Commits a sink partition's output in two phases, together with the epoch's snapshot: the
 * partition holds back what it writes in an epoch, hands it over at the epoch close as part of the
 * snapshot ({@link #prepare}), and makes it visible only once that snapshot is durable on every
 * process ({@link #commit}). A run that stopped in between resumes from the snapshot and {@link
 * #recover}s: the output is written exactly once whatever the moment of the crash.
 *
 * <p>The bytes a committer prepares must let it tell, after a crash, whether their output was
 * already committed (a transaction's own marker, say): {@link #recover} may see output that was.
 */
public interface OutputCommitter {
  /**
   * At an epoch close: everything written and not yet committed, as the bytes to resume it from;
   * null when nothing is waiting.
   */
  byte[] prepare(long epoch);

  /** The snapshots of {@code epoch} and of every epoch before it are durable everywhere. */
  void commit(long epoch);

  /**
   * Before the first write of a resumed run: finishes the output another partition (or this one)
   * prepared in the run before, which may or may not have been committed already.
   */
  void recover(byte[] prepared);
}
