package dev.wax.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Addresses for a cluster (or a broker) on this machine. */
final class LoopbackAddresses {
  private LoopbackAddresses() {}

  /** {@code count} loopback {@code host:port}s whose ports the system just gave out as free. */
  static List<String> free(int count) throws IOException {
    return freePorts(count).stream().map(port -> "127.0.0.1:" + port).toList();
  }

  /** {@code count} different loopback ports the system just gave out as free. */
  static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      // All held open together, so no two are the same.
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
    return ports;
  }
}
