package dev.wax.engine.cluster;

import dev.wax.engine.ProcessEnv;
import dev.wax.engine.UsageException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A static cluster: every process's address, in process id order, and which process this is.
 *
 * @param connectTimeout how long to keep trying to reach the other processes before failing
 */
public record ClusterConfig(List<InetSocketAddress> addresses, int processId, Duration connectTimeout) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

  public ClusterConfig {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new UsageException("a cluster needs at least one address");
    }
    if (processId < 0 || processId >= addresses.size()) {
      throw new UsageException(
          "process id "
              + processId
              + " is out of range: the addresses name "
              + addresses.size()
              + " processes, so the id must be 0 to "
              + (addresses.size() - 1));
    }
  }

  /** Parses {@code host:port} addresses as Bytewax's {@code -a} gives them. */
  public static ClusterConfig parse(List<String> addresses, int processId, Duration connectTimeout) {
    List<InetSocketAddress> parsed = new ArrayList<>();
    for (String address : addresses) {
      String text = address.trim();
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new UsageException("address " + quote(text) + " must be host:port");
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new UsageException("address " + quote(text) + " has no valid port number");
      }
      if (port < 1 || port > 65535) {
        throw new UsageException("address " + quote(text) + " has a port outside 1-65535");
      }
      parsed.add(InetSocketAddress.createUnresolved(text.substring(0, colon), port));
    }
    return new ClusterConfig(parsed, processId, connectTimeout);
  }

  /**
   * How long to wait for the other processes: {@code WAX_CONNECT_TIMEOUT} seconds when set, else
   * {@link #DEFAULT_CONNECT_TIMEOUT}.
   */
  public static Duration connectTimeoutFromEnvironment() {
    String seconds = ProcessEnv.get("WAX_CONNECT_TIMEOUT");
    if (seconds == null || seconds.isBlank()) {
      return DEFAULT_CONNECT_TIMEOUT;
    }
    try {
      return Duration.ofMillis((long) (Double.parseDouble(seconds) * 1000));
    } catch (NumberFormatException e) {
      throw new UsageException("WAX_CONNECT_TIMEOUT must be a number of seconds; got " + seconds);
    }
  }

  public int processCount() {
    return addresses.size();
  }

  public InetSocketAddress addressOf(int process) {
    return addresses.get(process);
  }

  /** {@code host:port} of a process, for messages. */
  public String describe(int process) {
    InetSocketAddress address = addresses.get(process);
    return address.getHostString() + ":" + address.getPort();
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
