package dev.wax.engine.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * Splits a connection's bytes into frames, each preceded by its length (4 bytes). Until the peer
 * has proved it is a member, a frame may hold only a handshake's few bytes, so a stranger cannot
 * make this process buffer more; members may send up to {@link #MAX_FRAME}.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  /** The largest frame of the handshake (a HELLO with its proof), with room to spare. */
  static final int HANDSHAKE_LIMIT = 128;
  /** The largest frame a member may send: 256 MiB (a batch of items, or recovery bookkeeping). */
  static final int MAX_FRAME = 256 << 20;

  private int limit = HANDSHAKE_LIMIT;

  /** The peer proved it is a member: from now on its frames may be up to {@link #MAX_FRAME}. */
  void admit() {
    limit = MAX_FRAME;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 4) {
      return;
    }
    int length = in.getInt(in.readerIndex());
    if (length < 1 || length > limit) {
      throw new CorruptedFrameException(
          "a frame said to hold " + length + " bytes (frames hold 1 to " + limit + " bytes"
              + (limit == HANDSHAKE_LIMIT ? " during the handshake)" : ")"));
    }
    if (in.readableBytes() < 4 + length) {
      return;
    }
    in.skipBytes(4);
    out.add(in.readRetainedSlice(length));
  }
}
