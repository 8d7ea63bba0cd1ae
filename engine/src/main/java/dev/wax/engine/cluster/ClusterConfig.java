package dev.wax.engine.cluster;

import dev.wax.engine.ProcessEnv;
import dev.wax.engine.UsageException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A static cluster: every process's address, in process id order, and which process this is.
 *
 * @param connectTimeout how long to keep trying to reach the other processes before failing
 * @param secret what every connection must prove it knows
 */
public record ClusterConfig(
    List<InetSocketAddress> addresses, int processId, Duration connectTimeout, ClusterSecret secret) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

  public ClusterConfig {
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(secret, "secret (ClusterSecret.NONE for none)");
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

  /**
   * The cluster of {@code addresses} as this process's environment sets it up: {@code
   * WAX_CONNECT_TIMEOUT} and the secret of {@link ClusterSecret#fromEnvironment}.
   */
  public static ClusterConfig fromEnvironment(List<String> addresses, int processId) {
    return parse(addresses, processId, connectTimeoutFromEnvironment(), ClusterSecret.fromEnvironment());
  }

  /** Parses {@code host:port} addresses as Bytewax's {@code -a} gives them. */
  public static ClusterConfig parse(
      List<String> addresses, int processId, Duration connectTimeout, ClusterSecret secret) {
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
    return new ClusterConfig(parsed, processId, connectTimeout, secret);
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

  /**
   * Refuses a cluster that reaches beyond this host without a secret: anyone who can reach its
   * ports could join it and send pickled items, which every worker unpickles.
   */
  void requireSecretBeyondLoopback() {
    if (secret.isSet()) {
      return;
    }
    for (int process = 0; process < addresses.size(); process++) {
      if (!isLoopback(addresses.get(process).getHostString())) {
        throw new UsageException(
            "process " + process + "'s address " + describe(process) + " is not a loopback address,"
                + " and no cluster secret is set: anyone who reaches the cluster's ports could join"
                + " it and run code in it. Give every process the same secret in "
                + ClusterSecret.ENV + " (e.g. `export " + ClusterSecret.ENV + "=$(openssl rand -hex 32)`)"
                + " or in a file named by " + ClusterSecret.FILE_ENV);
      }
    }
  }

  private static boolean isLoopback(String host) {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
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
