package dev.wax.cli.daemon;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client and the background process say to each other over their socket: frames of a type
 * byte, a payload length and the payload. One thread reads and any thread writes a channel.
 */
final class Frames {
  /** Client to background process: the command ({@link Request}); sent once, first. */
  static final byte REQUEST = 'R';
  /** Client to background process: standard input bytes; none means it ended. */
  static final byte STDIN = 'I';
  /** Client to background process: the name of a signal the client received (INT, TERM). */
  static final byte SIGNAL = 'S';
  /** Background process to client: the command was taken and runs; sent first. */
  static final byte ACCEPTED = 'A';
  /** Background process to client: bytes for standard output. */
  static final byte STDOUT = 'O';
  /** Background process to client: bytes for standard error. */
  static final byte STDERR = 'E';
  /** Background process to client: the command reads standard input (payload: at most how many bytes). */
  static final byte WANT_STDIN = 'W';
  /** Background process to client: the command ended (payload: its exit status); the last frame. */
  static final byte EXIT = 'X';

  /** Larger frames are refused: nothing legitimate comes close. */
  static final int MAX_PAYLOAD = 64 << 20;

  private Frames() {}

  record Frame(byte type, byte[] payload) {
    int asInt() {
      return ByteBuffer.wrap(payload).getInt();
    }

    String asString() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** A command to run: its arguments, working directory and environment. */
  record Request(List<String> args, Path directory, Map<String, String> environment) {
    byte[] encode() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(args.size());
        for (String arg : args) {
          writeString(out, arg);
        }
        writeString(out, directory.toString());
        out.writeInt(environment.size());
        for (Map.Entry<String, String> variable : environment.entrySet()) {
          writeString(out, variable.getKey());
          writeString(out, variable.getValue());
        }
      } catch (IOException e) {
        throw new IllegalStateException("writing to memory failed", e);
      }
      return bytes.toByteArray();
    }

    static Request decode(byte[] payload) throws IOException {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
      int count = in.readInt();
      List<String> args = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        args.add(readString(in));
      }
      Path directory = Path.of(readString(in));
      int variables = in.readInt();
      Map<String, String> environment = new LinkedHashMap<>();
      for (int i = 0; i < variables; i++) {
        environment.put(readString(in), readString(in));
      }
      return new Request(args, directory, environment);
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      out.writeInt(utf8.length);
      out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
      byte[] utf8 = new byte[in.readInt()];
      in.readFully(utf8);
      return new String(utf8, StandardCharsets.UTF_8);
    }
  }

  static void write(SocketChannel channel, byte type, byte[] payload, int offset, int length)
      throws IOException {
    ByteBuffer header = ByteBuffer.allocate(5).put(type).putInt(length).flip();
    ByteBuffer body = ByteBuffer.wrap(payload, offset, length);
    synchronized (channel) {
      while (header.hasRemaining() || body.hasRemaining()) {
        channel.write(new ByteBuffer[] {header, body});
      }
    }
  }

  static void write(SocketChannel channel, byte type, byte[] payload) throws IOException {
    write(channel, type, payload, 0, payload.length);
  }

  static void writeInt(SocketChannel channel, byte type, int value) throws IOException {
    write(channel, type, ByteBuffer.allocate(4).putInt(value).array());
  }

  /** The next frame, or null when the other side closed the connection between frames. */
  static Frame read(SocketChannel channel) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(5);
    if (!fill(channel, header, true)) {
      return null;
    }
    header.flip();
    byte type = header.get();
    int length = header.getInt();
    if (length < 0 || length > MAX_PAYLOAD) {
      throw new IOException("a frame of " + length + " bytes; at most " + MAX_PAYLOAD + " are allowed");
    }
    ByteBuffer payload = ByteBuffer.allocate(length);
    fill(channel, payload, false);
    return new Frame(type, payload.array());
  }

  private static boolean fill(SocketChannel channel, ByteBuffer buffer, boolean endAllowed)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        if (endAllowed && buffer.position() == 0) {
          return false;
        }
        throw new EOFException("the connection ended inside a frame");
      }
    }
    return true;
  }
}
