package dev.wax.cli.daemon;

import dev.wax.bridge.PythonRuntime;
import dev.wax.cli.Main;
import dev.wax.engine.ProcessEnv;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogManager;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Wax's warm background process: a JVM that keeps GraalPy's engine, and the code the JIT compiled
 * for it, across commands. It runs one client's {@code wax run} or {@code wax python} at a time,
 * in fresh Python Contexts, with the client's arguments, environment, working directory and
 * standard streams; the client passes on its signals. A client holds the slot's lock file for as
 * long as it uses the process, so a busy process is never chosen twice. Idle for {@code
 * idleSeconds}, the process takes the lock itself and ends.
 */
public final class Daemon {
  private static final long CHECK_IDLE_MILLIS = 1_000;
  private static final CtrlCDelivery CTRL_C = new CtrlCDelivery();
  /** The process's own log: commands swap System.err for their clients'. */
  private static final PrintStream LOG = System.err;
  /**
   * How long a command whose client is gone may take to become interruptible, and then to stop
   * after it was interrupted, before the process ends with it.
   */
  private static final long ORPHAN_GRACE_MILLIS = 15_000;

  private final Path socket;
  /** The slot's lock file, open for the process's life: closing it would drop all its locks. */
  private final FileChannel slot;
  /** The slot's files, removed when the process ends idle: socket first, lock file last. */
  private final List<Path> files;
  private final long idleMillis;
  private volatile long idleSince = System.currentTimeMillis();
  private volatile boolean serving;
  /** One client's command; {@code ended} once it has, from when on its client may hang up. */
  private static final class Command {
    volatile boolean ended;
  }

  private Daemon(Path socket, Path lock, Path log, long idleMillis) throws IOException {
    this.socket = socket;
    this.slot = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    this.files = List.of(socket, log, lock);
    this.idleMillis = idleMillis;
  }

  /** {@code SOCKET LOCK LOG IDLE_SECONDS}. */
  public static void main(String[] args) throws Exception {
    Daemon daemon = new Daemon(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]) * 1000);
    if (!CTRL_C.install()) {
      LOG.println("wax daemon: SIGINT is ignored in this process: Ctrl-C will not reach its commands");
    }
    PythonRuntime.keepEngine();
    daemon.serve();
  }

  private void serve() throws IOException {
    Files.deleteIfExists(socket);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread watch = new Thread(this::endWhenIdle, "wax-daemon-idle");
      watch.setDaemon(true);
      watch.start();
      while (true) {
        try (SocketChannel client = server.accept()) {
          serving = true;
          runOne(client);
        } catch (IOException e) {
          LOG.println("wax daemon: a client failed: " + e);
        } finally {
          serving = false;
          idleSince = System.currentTimeMillis();
        }
        if (!CTRL_C.install()) {
          // A command left SIGINT ignored, and no later command could be interrupted here: the
          // slot's next client starts a new process (its command status was sent already).
          LOG.println("wax daemon: a command left SIGINT ignored; the process ends");
          Files.deleteIfExists(socket);
          Runtime.getRuntime().halt(0);
        }
      }
    }
  }

  /** Ends the process once idle long enough, unless a client has just claimed it. */
  private void endWhenIdle() {
    while (true) {
      try {
        Thread.sleep(CHECK_IDLE_MILLIS);
        if (serving || System.currentTimeMillis() - idleSince < idleMillis) {
          continue;
        }
        if (SlotLock.claimIdle(slot) != null) {
          // No client can take the slot meanwhile: one that opened the lock file finds it
          // held, and one after it makes a new file and a new process.
          for (Path file : files) {
            Files.deleteIfExists(file);
          }
          Runtime.getRuntime().halt(0);
        }
      } catch (InterruptedException | IOException e) {
        return;
      }
    }
  }

  private void runOne(SocketChannel client) throws IOException {
    Command command = new Command();
    Frames.Frame first = Frames.read(client);
    if (first == null || first.type() != Frames.REQUEST) {
      return;
    }
    Frames.Request request = Frames.Request.decode(first.payload());
    int status;
    FileLock busy = SlotLock.busy(slot);
    try {
      Frames.write(client, Frames.ACCEPTED, new byte[0]);
      ClientInput input = new ClientInput(client);
      Thread reader = new Thread(() -> readClient(client, input, command, request), "wax-daemon-client");
      reader.setDaemon(true);
      reader.start();
      status = execute(request, client, input);
    } finally {
      command.ended = true;
      CTRL_C.ended(command);
      busy.release();
    }
    try {
      Frames.writeInt(client, Frames.EXIT, status);
    } catch (IOException e) {
      // The client is gone: there is no one left to tell.
    }
  }

  /** Runs the command with the client's environment and streams; returns its exit status. */
  private static int execute(Frames.Request request, SocketChannel client, ClientInput input) {
    PrintStream out = new PrintStream(new BufferedOutputStream(new ClientOutput(client, Frames.STDOUT), 8192), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new BufferedOutputStream(new ClientOutput(client, Frames.STDERR), 8192), true, StandardCharsets.UTF_8);
    InputStream ownIn = System.in;
    PrintStream ownOut = System.out;
    PrintStream ownErr = System.err;
    int status = 1;
    try {
      ProcessEnv.use(request.environment(), request.directory());
      System.setIn(input);
      System.setOut(out);
      System.setErr(err);
      // Fresh logging: levels a command set stay with it, and handlers write to this client.
      LogManager.getLogManager().readConfiguration();
      status = Main.execute(request.args().toArray(String[]::new));
    } catch (Throwable t) {
      err.println("wax: internal error: " + t);
    } finally {
      out.flush();
      err.flush();
      System.setIn(ownIn);
      System.setOut(ownOut);
      System.setErr(ownErr);
      ProcessEnv.reset();
      try {
        LogManager.getLogManager().readConfiguration();
      } catch (IOException e) {
        LOG.println("wax daemon: could not reset logging: " + e);
      }
    }
    return status;
  }

  /**
   * Takes the client's frames: input, and signals, raised in this process, where the command's
   * own handlers take them. When the client is gone (killed, say), so is the command: it is
   * interrupted as by Ctrl-C and, if it has not ended {@link #ORPHAN_GRACE_MILLIS} later, the
   * whole process ends with it, as the command's own process would have. The slot stays busy
   * meanwhile (see {@link SlotLock}).
   */
  private static void readClient(SocketChannel client, ClientInput input, Command command, Frames.Request request) {
    try {
      while (true) {
        Frames.Frame frame = Frames.read(client);
        if (frame == null) {
          break;
        }
        if (frame.type() == Frames.STDIN) {
          input.offer(frame.payload());
        } else if (frame.type() == Frames.SIGNAL && frame.asString().equals("INT")) {
          CTRL_C.deliver(command);
        } else if (frame.type() == Frames.SIGNAL) {
          Signal.raise(new Signal(frame.asString()));
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // Gone or garbled: treated as gone.
    }
    if (command.ended) {
      return;
    }
    LOG.println("wax daemon: the client of " + request.args() + " is gone: interrupting its command");
    try {
      input.offer(new byte[0]);
      long deadline = System.currentTimeMillis() + ORPHAN_GRACE_MILLIS;
      CTRL_C.deliver(command);
      while (!command.ended && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
    } catch (InterruptedException | RuntimeException e) {
      // Cannot wait for the command: it ends with the process.
    } finally {
      if (!command.ended) {
        LOG.println("wax daemon: the command did not stop; the process ends with it");
        Runtime.getRuntime().halt(1);
      }
    }
  }

  /**
   * SIGINT in this process, which only {@link #deliver} raises: the process has a session of its
   * own, so a terminal's Ctrl-C reaches the client, which passes it on. Once a command has set a
   * handler of its own, that handler takes it. Until then this one does, and raises it again a
   * moment later, for as long as the command runs: a Ctrl-C during a command's start-up is not
   * lost, however long the start-up takes. Between commands it is dropped: the process never ends
   * on SIGINT.
   */
  private static final class CtrlCDelivery implements SignalHandler {
    private static final Signal INT = new Signal("INT");
    private static final long RETRY_MILLIS = 50;
    /** The command a raised SIGINT is meant for, while it runs. */
    private final AtomicReference<Command> owedTo = new AtomicReference<>();

    @Override
    public void handle(Signal signal) {
      Command command = owedTo.get();
      if (command == null) {
        return;
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      if (owedTo.get() == command && !command.ended) {
        Signal.raise(INT);
      }
    }

    /**
     * Takes SIGINT back from a command's handlers; false when it is ignored (the process started
     * so, or a command set {@code SIG_IGN}): the JVM then installs no handler, ever again.
     */
    boolean install() {
      return Signal.handle(INT, this) != SignalHandler.SIG_IGN;
    }

    /** Interrupts {@code command} as Ctrl-C does. */
    void deliver(Command command) {
      owedTo.set(command);
      Signal.raise(INT);
    }

    /** {@code command} has ended: a SIGINT raised for it is dropped. */
    void ended(Command command) {
      owedTo.compareAndSet(command, null);
    }
  }

  /** Bytes for one of the client's output streams, sent as they are flushed. */
  private static final class ClientOutput extends OutputStream {
    private final SocketChannel client;
    private final byte type;

    ClientOutput(SocketChannel client, byte type) {
      this.client = client;
      this.type = type;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (length > 0) {
        Frames.write(client, type, bytes, offset, length);
      }
    }
  }

  /** The client's standard input, asked for when the command reads it. */
  private static final class ClientInput extends InputStream {
    private static final byte[] END = new byte[0];
    private final SocketChannel client;
    private final BlockingQueue<byte[]> arrived = new ArrayBlockingQueue<>(1);
    private byte[] chunk = new byte[0];
    private int position;
    private boolean ended;

    ClientInput(SocketChannel client) {
      this.client = client;
    }

    void offer(byte[] bytes) {
      arrived.offer(bytes.length == 0 ? END : bytes);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (position == chunk.length) {
        if (ended) {
          return -1;
        }
        Frames.writeInt(client, Frames.WANT_STDIN, Math.max(length, 8192));
        try {
          chunk = arrived.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while reading standard input", e);
        }
        position = 0;
        if (chunk == END) {
          ended = true;
          return -1;
        }
      }
      int n = Math.min(length, chunk.length - position);
      System.arraycopy(chunk, position, bytes, offset, n);
      position += n;
      return n;
    }

    @Override
    public synchronized int available() {
      return chunk.length - position;
    }
  }
}
