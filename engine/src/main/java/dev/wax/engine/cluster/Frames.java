package dev.wax.engine.cluster;

import dev.wax.engine.runtime.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The frames processes exchange, each preceded on the wire by its length: a type byte, then the
 * fields of that type. Data frames carry the sender's encoded piece as it is.
 */
final class Frames {
  static final byte HELLO = 1;
  static final byte DATA = 2;
  static final byte EPOCH_END = 3;
  static final byte END = 4;
  static final byte FAILURE = 5;
  static final byte ABORT = 6;
  static final byte BYE = 7;
  static final byte PING = 8;
  static final byte RECOVERY = 9;
  static final byte CHALLENGE = 10;
  static final byte ANSWER = 11;

  /** The fields of a HELLO frame that its proof covers: process, processCount, workers, run. */
  static final int HELLO_FIELDS = 16;

  private Frames() {}

  /** {@code CHALLENGE nonce}: the connecting side's first frame. */
  static ByteBuf challenge(ByteBufAllocator alloc, byte[] nonce) {
    return alloc.buffer(1 + nonce.length).writeByte(CHALLENGE).writeBytes(nonce);
  }

  /** {@code ANSWER nonce proof}: the accepting side's reply, proving it knows the secret. */
  static ByteBuf answer(ByteBufAllocator alloc, byte[] nonce, byte[] proof) {
    return alloc.buffer(1 + nonce.length + proof.length).writeByte(ANSWER).writeBytes(nonce).writeBytes(proof);
  }

  /** The {@link #HELLO_FIELDS} bytes of a HELLO frame. */
  static byte[] helloFields(int process, int processCount, int workersPerProcess, int run) {
    return ByteBuffer.allocate(HELLO_FIELDS).putInt(process).putInt(processCount).putInt(workersPerProcess)
        .putInt(run).array();
  }

  /**
   * {@code HELLO fields proof}: after the challenge, each side's proof that it knows the secret,
   * with who it is (see {@link #helloFields}).
   */
  static ByteBuf hello(ByteBufAllocator alloc, byte[] fields, byte[] proof) {
    return alloc.buffer(1 + fields.length + proof.length).writeByte(HELLO).writeBytes(fields).writeBytes(proof);
  }

  /** A message for worker {@code to}'s step {@code step} from worker {@code from}. */
  static ByteBuf message(ByteBufAllocator alloc, int to, int step, int from, Message message) {
    if (message instanceof Message.Data data) {
      byte[] payload = (byte[]) data.payload();
      ByteBuf buf = alloc.buffer(21 + payload.length);
      buf.writeByte(DATA).writeInt(to).writeInt(step).writeInt(from).writeInt(data.items());
      if (data.keys() == null) {
        buf.writeInt(-1);
      } else {
        buf.writeInt(data.keys().length);
        for (String key : data.keys()) {
          byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
          buf.writeInt(bytes.length).writeBytes(bytes);
        }
      }
      return buf.writeBytes(payload);
    }
    if (message instanceof Message.EpochEnd end) {
      return alloc.buffer(21).writeByte(EPOCH_END).writeInt(to).writeInt(step).writeInt(from).writeLong(end.epoch());
    }
    return alloc.buffer(13).writeByte(END).writeInt(to).writeInt(step).writeInt(from);
  }

  /** Reads the message of a DATA, EPOCH_END or END frame whose type byte was read. */
  static Message readMessage(byte type, ByteBuf buf) {
    if (type == DATA) {
      int items = buf.readInt();
      int keyCount = buf.readInt();
      // Each key takes at least its 4-byte length: a larger count is a broken frame, not an array to allocate.
      if (items < 0 || keyCount < -1 || keyCount > buf.readableBytes() / 4) {
        throw new CorruptedFrameException(
            "a DATA frame of " + items + " items with " + keyCount + " keys in " + buf.readableBytes() + " bytes");
      }
      String[] keys = keyCount < 0 ? null : new String[keyCount];
      for (int i = 0; i < keyCount; i++) {
        keys[i] = buf.readCharSequence(buf.readInt(), StandardCharsets.UTF_8).toString();
      }
      byte[] payload = new byte[buf.readableBytes()];
      buf.readBytes(payload);
      return new Message.Data(keys, payload, items);
    }
    if (type == EPOCH_END) {
      return new Message.EpochEnd(buf.readLong());
    }
    return new Message.End();
  }

  /** {@code FAILURE worker message}: a worker of the sender failed. */
  static ByteBuf failure(ByteBufAllocator alloc, int worker, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    return alloc.buffer(9 + text.length).writeByte(FAILURE).writeInt(worker).writeInt(text.length).writeBytes(text);
  }

  static String readText(ByteBuf buf) {
    return buf.readCharSequence(buf.readInt(), StandardCharsets.UTF_8).toString();
  }

  /** {@code RECOVERY payload}: the recovery stores' bookkeeping, opaque here. */
  static ByteBuf recovery(ByteBufAllocator alloc, byte[] payload) {
    return alloc.buffer(1 + payload.length).writeByte(RECOVERY).writeBytes(payload);
  }

  static ByteBuf signal(ByteBufAllocator alloc, byte type) {
    return alloc.buffer(1).writeByte(type);
  }
}
