package dev.wax.bridge;

import dev.wax.engine.UserCodeException;
import dev.wax.engine.runtime.StateCodec;
import java.util.ArrayList;
import java.util.List;
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
  private final Value dumpsAll;
  private final Value loadsEach;
  private final Value serde;

  PyStateCodec(Value codec, Value serde) {
    this.dumps = codec.getMember("dumps_state");
    this.loads = codec.getMember("loads_state");
    this.dumpsAll = codec.getMember("dumps_states");
    this.loadsEach = codec.getMember("loads_each");
    this.serde = serde;
  }

  @Override
  public byte[] encode(String stepId, String key, Object state) {
    return PyBytes.read(call(dumps, new Object[] {serde, state}, stepId, key));
  }

  private static Value call(Value function, Object[] arguments, String stepId, String key) {
    try {
      return function.execute(arguments);
    } catch (PolyglotException e) {
      throw new UserCodeException(
          "can't snapshot the state of key " + UserCodeException.quote(key) + " in step "
              + UserCodeException.quote(stepId) + "; with recovery on, state must be serializable by"
              + " the recovery config's `snapshot_serde` (pickle by default)",
          stepId,
          e);
    }
  }

  /** One Python call for all the states: they go as arguments, so Python gets a real list. */
  @Override
  public byte[] encodeAll(String stepId, String key, List<Object> states) {
    Object[] arguments = new Object[states.size() + 1];
    arguments[0] = serde;
    for (int i = 0; i < states.size(); i++) {
      arguments[i + 1] = states.get(i);
    }
    return PyBytes.read(call(dumpsAll, arguments, stepId, key));
  }

  /**
   * The states {@link #encodeAll} encoded. Numbers and strings come back as Java values, which
   * Java window logics (the counter) take and Python sees as the same int or str.
   */
  @Override
  public List<Object> decodeAll(String stepId, String key, byte[] bytes) {
    Value list = (Value) decode(stepId, key, bytes);
    List<Object> states = new ArrayList<>((int) list.getArraySize());
    for (long i = 0; i < list.getArraySize(); i++) {
      Value state = list.getArrayElement(i);
      if (state.isNull()) {
        states.add(null);
      } else if (state.isNumber() && state.fitsInLong()) {
        states.add(state.asLong());
      } else if (state.isString()) {
        states.add(state.asString());
      } else {
        states.add(state);
      }
    }
    return states;
  }

  /**
   * One Python call decodes every key's state; when one fails, each is decoded alone so the
   * error names the key.
   */
  @Override
  public List<Object> decodeEach(String stepId, List<String> keys, List<byte[]> states) {
    List<String> texts = new ArrayList<>(states.size());
    for (byte[] state : states) {
      texts.add(PyBytes.handOver(state));
    }
    Value list;
    try {
      list = loadsEach.execute(serde, texts);
    } catch (PolyglotException e) {
      return StateCodec.super.decodeEach(stepId, keys, states);
    }
    List<Object> decoded = new ArrayList<>(states.size());
    for (long i = 0; i < list.getArraySize(); i++) {
      decoded.add(list.getArrayElement(i));
    }
    return decoded;
  }

  @Override
  public Object decode(String stepId, String key, byte[] bytes) {
    try {
      return loads.execute(serde, PyBytes.handOver(bytes));
    } catch (PolyglotException e) {
      throw new UserCodeException(
          "can't load the snapshot of key " + UserCodeException.quote(key) + " in step "
              + UserCodeException.quote(stepId) + " from the recovery store",
          stepId,
          e);
    }
  }
}
