package dev.wax.bridge;

import dev.wax.engine.UserCodeException;
import dev.wax.engine.runtime.StateCodec;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Encodes Python state for the recovery store in the worker's own Context, with the flow's
 * {@code snapshot_serde} (pickle unless the recovery config names another), through {@code
 * bytewax._wax.codec}.
 */
final class PyStateCodec implements StateCodec {
  private final Value dumps;
  private final Value loads;
  private final Value serde;

  PyStateCodec(Value codec, Value serde) {
    this.dumps = codec.getMember("dumps_state");
    this.loads = codec.getMember("loads_state");
    this.serde = serde;
  }

  @Override
  public byte[] encode(String stepId, String key, Object state) {
    Value bytes;
    try {
      bytes = dumps.execute(serde, state);
    } catch (PolyglotException e) {
      throw new UserCodeException(
          "can't snapshot the state of key " + UserCodeException.quote(key) + " in step "
              + UserCodeException.quote(stepId) + "; with recovery on, state must be serializable by"
              + " the recovery config's `snapshot_serde` (pickle by default)",
          stepId,
          e);
    }
    // GraalPy's bulk read only accepts a destination exactly the buffer's size.
    byte[] out = new byte[(int) bytes.getBufferSize()];
    bytes.readBuffer(0, out, 0, out.length);
    return out;
  }

  @Override
  public Object decode(String stepId, String key, byte[] bytes) {
    try {
      // Latin-1 maps each byte to one character: the cheapest way to hand bytes to Python.
      return loads.execute(serde, new String(bytes, StandardCharsets.ISO_8859_1));
    } catch (PolyglotException e) {
      throw new UserCodeException(
          "can't load the snapshot of key " + UserCodeException.quote(key) + " in step "
              + UserCodeException.quote(stepId) + " from the recovery store",
          stepId,
          e);
    }
  }
}
