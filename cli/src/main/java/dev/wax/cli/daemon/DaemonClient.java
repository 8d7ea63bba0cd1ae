package dev.wax.cli.daemon;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * The small JVM {@code bin/wax} starts for {@code wax run} and {@code wax python}: it hands the
 * command to an idle warm {@link Daemon} (starting one when none is idle) and stands in for it:
 * standard streams, signals and exit status pass through as if the command ran here.
 *
 * <p>Arguments: {@code DIR KEY IDLE_SECONDS JAVA_COMMAND... -- WAX_ARGS...}. Daemons live in
 * {@code DIR} (the user's own, mode 700) as slots {@code KEY-n}; KEY names the build and JVM
 * options, so a rebuilt Wax never reuses an old process.
 */
public final class DaemonClient {
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(300);

  private final OutputStream stdout = new FileOutputStream(FileDescriptor.out);
  private final OutputStream stderr = new FileOutputStream(FileDescriptor.err);
  /** The status a process ends with when killed by the last signal passed on (128 + its number). */
  private volatile int signalStatus;

  private DaemonClient() {}

  public static void main(String[] args) throws InterruptedException {
    int separator = Arrays.asList(args).indexOf("--");
    Path dir = Path.of(args[0]);
    String key = args[1];
    String idleSeconds = args[2];
    List<String> java = List.of(args).subList(3, separator);
    List<String> command = List.of(args).subList(separator + 1, args.length);
    int status;
    try {
      status = new DaemonClient().run(dir, key, idleSeconds, java, command);
    } catch (IOException e) {
      System.err.println("wax: " + e.getMessage());
      status = 1;
    }
    System.exit(status);
  }

  private int run(Path dir, String key, String idleSeconds, List<String> java, List<String> command)
      throws IOException, InterruptedException {
    createPrivateDirectory(dir);
    for (int slot = 0; ; slot++) {
      Path lockFile = dir.resolve(key + "-" + slot + ".lock");
      try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        if (SlotLock.claim(lockChannel) == null) {
          continue; // busy with another client, or still stopping a killed client's command
        }
        Path socket = dir.resolve(key + "-" + slot + ".sock");
        SocketChannel channel = connect(socket);
        if (channel == null) {
          channel = start(socket, lockFile, dir.resolve(key + "-" + slot + ".log"), idleSeconds, java);
        }
        try (SocketChannel daemon = channel) {
          Integer status = converse(daemon, command);
          if (status != null) {
            return status;
          }
          // The process ended before taking the command (it was stopping): try another.
        }
      }
    }
  }

  /** The slots' directory, which only its user may open: its sockets then reach no one else. */
  private static void createPrivateDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  private static SocketChannel connect(Path socket) {
    if (!Files.exists(socket)) {
      return null;
    }
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (IOException e) {
      // A socket file left by a process that is gone, or one not listening yet.
      closeQuietly(channel);
      return null;
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing was sent on it.
      }
    }
  }

  /** Starts a daemon for this slot, in its own session so the terminal's signals pass it by. */
  private SocketChannel start(Path socket, Path lock, Path log, String idleSeconds, List<String> java)
      throws IOException, InterruptedException {
    Files.deleteIfExists(socket);
    List<String> launch = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      launch.add("/usr/bin/setsid");
    }
    if (Files.isExecutable(Path.of("/usr/bin/env"))) {
      // A client started in the background (`wax run ... &` in a script) inherits SIGINT ignored,
      // which its JVM would keep: the process that serves later clients must get their Ctrl-C.
      launch.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
    }
    launch.addAll(java);
    // By name: loading the class here would load the GraalPy host this small JVM does without.
    launch.addAll(List.of("dev.wax.cli.daemon.Daemon", socket.toString(), lock.toString(), log.toString(), idleSeconds));
    Process process =
        new ProcessBuilder(launch)
            .directory(socket.getParent().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(log.toFile())
            .redirectErrorStream(true)
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
    while (System.nanoTime() < deadline) {
      SocketChannel channel = connect(socket);
      if (channel != null) {
        return channel;
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(20);
    }
    process.destroyForcibly();
    throw new IOException("the background process did not start; its output is in " + log);
  }

  /**
   * Sends the command, then relays until the daemon reports its exit status; null when the daemon
   * ended before it took the command.
   */
  private Integer converse(SocketChannel daemon, List<String> command) throws IOException {
    Frames.Request request =
        new Frames.Request(command, Path.of("").toAbsolutePath(), System.getenv());
    try {
      Frames.write(daemon, Frames.REQUEST, request.encode());
      Frames.Frame accepted = Frames.read(daemon);
      if (accepted == null || accepted.type() != Frames.ACCEPTED) {
        return null;
      }
    } catch (IOException e) {
      return null;
    }
    for (String name : List.of("INT", "TERM", "HUP")) {
      Signal.handle(new Signal(name), signal -> forward(daemon, signal));
    }
    BlockingQueue<Integer> stdinWanted = new LinkedBlockingQueue<>();
    Thread stdinPump = new Thread(() -> pumpStdin(daemon, stdinWanted), "wax-stdin");
    stdinPump.setDaemon(true);
    stdinPump.start();
    while (true) {
      Frames.Frame frame = Frames.read(daemon);
      if (frame == null) {
        // The daemon died before the command ended: as the command's own process would have.
        return signalStatus != 0 ? signalStatus : 1;
      }
      switch (frame.type()) {
        case Frames.STDOUT -> write(stdout, frame.payload());
        case Frames.STDERR -> write(stderr, frame.payload());
        case Frames.WANT_STDIN -> stdinWanted.offer(frame.asInt());
        case Frames.EXIT -> {
          return frame.asInt();
        }
        default -> throw new IOException("unexpected frame " + (char) frame.type() + " from the background process");
      }
    }
  }

  private void forward(SocketChannel daemon, Signal signal) {
    signalStatus = 128 + signal.getNumber();
    try {
      Frames.write(daemon, Frames.SIGNAL, signal.getName().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The daemon is gone; its end is reported by the main loop.
    }
  }

  /**
   * Writes what the command printed. A stream that no longer takes bytes (a closed pipe) drops
   * them, as the JVM's own standard streams do: the command runs on, as it would in its own JVM.
   */
  private static void write(OutputStream stream, byte[] bytes) {
    try {
      stream.write(bytes);
      stream.flush();
    } catch (IOException e) {
      // Dropped.
    }
  }

  /** Reads standard input only when the command asks, as much as it asks for. */
  private static void pumpStdin(SocketChannel daemon, BlockingQueue<Integer> wanted) {
    InputStream stdin = new FileInputStream(FileDescriptor.in);
    try {
      while (true) {
        byte[] buffer = new byte[wanted.take()];
        int n = stdin.read(buffer);
        Frames.write(daemon, Frames.STDIN, buffer, 0, Math.max(n, 0));
      }
    } catch (InterruptedException | IOException e) {
      // The conversation is over.
    }
  }
}
