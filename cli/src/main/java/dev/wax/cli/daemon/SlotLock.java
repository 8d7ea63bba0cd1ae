package dev.wax.cli.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/**
 * A slot's lock file, in two parts. The client byte is held by the client using the slot's
 * process (or by the process itself as it ends when idle); the busy byte by the process from
 * taking a command until that command has ended, even when its client was killed meanwhile. A
 * slot is free when both are, so there is no moment between a client's death and its command's
 * end when a new client could take a process that is still stopping.
 */
final class SlotLock {
  private static final long CLIENT = 0;
  private static final long BUSY = 1;

  private SlotLock() {}

  /** The client byte of a free slot, or null when the slot is taken or its process still busy. */
  static FileLock claim(FileChannel file) throws IOException {
    FileLock claimed = file.tryLock(CLIENT, 1, false);
    if (claimed == null) {
      return null;
    }
    FileLock busy = file.tryLock(BUSY, 1, false);
    if (busy == null) {
      claimed.release();
      return null;
    }
    busy.release();
    return claimed;
  }

  /** The client byte, taken by the process itself when no client holds it. */
  static FileLock claimIdle(FileChannel file) throws IOException {
    return file.tryLock(CLIENT, 1, false);
  }

  /** The busy byte, held by the process while a command runs. */
  static FileLock busy(FileChannel file) throws IOException {
    return file.lock(BUSY, 1, false);
  }
}
