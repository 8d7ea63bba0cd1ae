package dev.wax.engine.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/** A plain socket speaking the mesh's frames byte by byte: a member, a stranger or a broken peer. */
final class RawPeer implements AutoCloseable {
  private final Socket socket = new Socket();
  private final DataOutputStream out;
  private final DataInputStream in;

  RawPeer(int port) throws IOException {
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  /** Sends a frame: its length, its type and its body. */
  void send(byte type, byte[] body) throws IOException {
    out.writeInt(1 + body.length);
    out.writeByte(type);
    out.write(body);
    out.flush();
  }

  /** Sends bytes as they are. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends nothing more: the other side reads the end of the stream. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** The next frame (type byte first). */
  byte[] read() throws IOException {
    socket.setSoTimeout(10_000);
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return frame;
  }

  /** Joins as process {@code process} of {@code count} with one worker, knowing {@code secret}. */
  void join(ClusterSecret secret, int process, int count) throws IOException {
    byte[] nonce = ClusterSecret.nonce();
    send(Frames.CHALLENGE, nonce);
    ByteBuffer answer = ByteBuffer.wrap(read());
    answer.get();
    byte[] theirNonce = new byte[ClusterSecret.NONCE_LENGTH];
    answer.get(theirNonce);
    byte[] fields = Frames.helloFields(process, count, 1, 0);
    send(Frames.HELLO, concat(fields, secret.proof(Mesh.CONNECTOR_HELLO_PROOF, theirNonce, nonce, fields)));
    byte[] hello = read();
    if (hello[0] != Frames.HELLO) {
      throw new IOException("expected a HELLO back, got frame type " + hello[0]);
    }
  }

  /** Whether the other side closed the connection within {@code limit}, discarding what it sent. */
  boolean closedWithin(Duration limit) throws IOException {
    socket.setSoTimeout((int) limit.toMillis());
    try {
      while (in.read() >= 0) {
        // Frames sent before the close (an ANSWER, PINGs) do not matter.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (EOFException | SocketException e) {
      return true;
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] part : parts) {
      all.put(part);
    }
    return all.array();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
