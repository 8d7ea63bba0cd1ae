package dev.wax.bridge;

import dev.wax.engine.UserCodeException;
import dev.wax.engine.runtime.BatchCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Carries Python values between workers that each own a Context, in this process or another:
 * {@code bytewax._wax.codec} turns a list of values into bytes in the sender's Context and back
 * into a list in the receiver's. No Python object ever leaves its Context.
 *
 * <p>A payload is the pieces as the codec encoded them together (columns of common types, or
 * pickle), then each piece's event timestamps when it has them: {@code int length, encoded bytes,
 * then per piece int stamp count (-1 for none), longs}.
 */
final class PyCodec implements BatchCodec {
  private final Value dumps;
  private final Value loads;

  PyCodec(Value codec) {
    this.dumps = codec.getMember("dumps");
    this.loads = codec.getMember("loads");
  }

  @Override
  public Object encode(String stepId, List<List<Object>> pieces) {
    List<Object> lists = new ArrayList<>(pieces.size());
    for (List<Object> piece : pieces) {
      lists.add(PyList.toPython(piece));
    }
    Value pickled;
    try {
      pickled = dumps.execute(lists);
    } catch (PolyglotException e) {
      throw new UserCodeException(
          "items for step "
              + UserCodeException.quote(stepId)
              + " can't be sent to another worker; each worker owns some of the keys, so items"
              + " must be picklable when a dataflow runs on several workers",
          stepId,
          e);
    }
    byte[] bytes = PyBytes.read(pickled);
    int size = 4 + bytes.length;
    for (List<Object> piece : pieces) {
      long[] stamps = stampsOf(piece);
      size += 4 + (stamps == null ? 0 : 8 * stamps.length);
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    buffer.putInt(bytes.length).put(bytes);
    for (List<Object> piece : pieces) {
      long[] stamps = stampsOf(piece);
      buffer.putInt(stamps == null ? -1 : stamps.length);
      if (stamps != null) {
        buffer.asLongBuffer().put(stamps);
        buffer.position(buffer.position() + 8 * stamps.length);
      }
    }
    return buffer.array();
  }

  private static long[] stampsOf(List<Object> piece) {
    return piece instanceof StampedList stamped ? stamped.stamps() : null;
  }

  @Override
  public List<List<Object>> decode(Object payload) {
    ByteBuffer buffer = ByteBuffer.wrap((byte[]) payload);
    int length = buffer.getInt();
    Value lists = loads.execute(PyBytes.handOver(buffer.array(), 4, length));
    buffer.position(4 + length);
    int n = (int) lists.getArraySize();
    List<List<Object>> pieces = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Value list = lists.getArrayElement(i);
      int stampCount = buffer.getInt();
      if (stampCount < 0) {
        pieces.add(new PyList(list));
      } else {
        long[] stamps = new long[stampCount];
        buffer.asLongBuffer().get(stamps);
        buffer.position(buffer.position() + 8 * stampCount);
        pieces.add(new StampedList(list, stamps));
      }
    }
    return pieces;
  }
}
