package dev.wax.bridge;

import dev.wax.engine.UserCodeException;
import dev.wax.engine.runtime.BatchCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Carries Python values between workers that each own a Context: {@code bytewax._wax.codec}
 * turns a list of values into bytes in the sender's Context and back into a list in the
 * receiver's. Bytes cross as Java arrays, so no Python object ever leaves its Context.
 */
final class PyCodec implements BatchCodec {
  private final Value dumps;
  private final Value loads;

  /** An encoded piece; stamps travel too when the values came with event timestamps. */
  private record Encoded(byte[] bytes, long[] stamps) {}

  PyCodec(Value codec) {
    this.dumps = codec.getMember("dumps");
    this.loads = codec.getMember("loads");
  }

  @Override
  public Object encode(String stepId, List<Object> values) {
    Value bytes;
    try {
      bytes = dumps.execute(PyList.toPython(values));
    } catch (PolyglotException e) {
      throw new UserCodeException(
          "items for step "
              + UserCodeException.quote(stepId)
              + " can't be sent to another worker; each worker owns some of the keys, so items"
              + " must be picklable when a dataflow runs on several workers",
          stepId,
          e);
    }
    byte[] out = new byte[(int) bytes.getBufferSize()];
    bytes.readBuffer(0, out, 0, out.length);
    return new Encoded(out, values instanceof StampedList stamped ? stamped.stamps() : null);
  }

  @Override
  public List<Object> decode(Object payload) {
    Encoded encoded = (Encoded) payload;
    // Latin-1 maps each byte to one character: the cheapest way to hand bytes to Python.
    Value list = loads.execute(new String(encoded.bytes, StandardCharsets.ISO_8859_1));
    return encoded.stamps == null ? new PyList(list) : new StampedList(list, encoded.stamps);
  }
}
