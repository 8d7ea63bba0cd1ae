package dev.wax.bridge;

import dev.wax.engine.UserCodeException;
import dev.wax.engine.runtime.BatchCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Carries Python values between workers that each own a Context, in this process or another:
 * {@code bytewax._wax.codec} turns a list of values into bytes in the sender's Context and back
 * into a list in the receiver's. No Python object ever leaves its Context.
 *
 * <p>A payload is the pickled list, then the values' event timestamps when they have them: {@code
 * int length, pickle bytes, int stamp count (-1 for none), longs}.
 */
final class PyCodec implements BatchCodec {
  private final Value dumps;
  private final Value loads;

  PyCodec(Value codec) {
    this.dumps = codec.getMember("dumps");
    this.loads = codec.getMember("loads");
  }

  @Override
  public Object encode(String stepId, List<Object> values) {
    Value pickled;
    try {
      pickled = dumps.execute(PyList.toPython(values));
    } catch (PolyglotException e) {
      throw new UserCodeException(
          "items for step "
              + UserCodeException.quote(stepId)
              + " can't be sent to another worker; each worker owns some of the keys, so items"
              + " must be picklable when a dataflow runs on several workers",
          stepId,
          e);
    }
    // GraalPy's bulk read only accepts a destination exactly the buffer's size.
    byte[] bytes = new byte[(int) pickled.getBufferSize()];
    pickled.readBuffer(0, bytes, 0, bytes.length);
    long[] stamps = values instanceof StampedList stamped ? stamped.stamps() : null;
    int stampCount = stamps == null ? 0 : stamps.length;
    byte[] payload = new byte[8 + bytes.length + 8 * stampCount];
    ByteBuffer buffer = ByteBuffer.wrap(payload);
    buffer.putInt(bytes.length).put(bytes).putInt(stamps == null ? -1 : stampCount);
    for (int i = 0; i < stampCount; i++) {
      buffer.putLong(stamps[i]);
    }
    return payload;
  }

  @Override
  public List<Object> decode(Object payload) {
    byte[] bytes = (byte[]) payload;
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int length = buffer.getInt();
    // Latin-1 maps each byte to one character: the cheapest way to hand bytes to Python.
    Value list = loads.execute(new String(bytes, 4, length, StandardCharsets.ISO_8859_1));
    buffer.position(4 + length);
    int stampCount = buffer.getInt();
    if (stampCount < 0) {
      return new PyList(list);
    }
    long[] stamps = new long[stampCount];
    buffer.asLongBuffer().get(stamps);
    return new StampedList(list, stamps);
  }
}
