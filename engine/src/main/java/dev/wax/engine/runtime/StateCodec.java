package dev.wax.engine.runtime;

import dev.wax.engine.UserCodeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * How a step's state becomes bytes for the recovery store and back. It runs on the worker that
 * owns the state, so Python state is encoded in that worker's own Context.
 */
public interface StateCodec {
  byte[] encode(String stepId, String key, Object state);

  Object decode(String stepId, String key, byte[] bytes);

  /** The states of many keys in one go, as when a run resumes; the same as decoding each. */
  default List<Object> decodeEach(String stepId, List<String> keys, List<byte[]> states) {
    List<Object> decoded = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      decoded.add(decode(stepId, keys.get(i), states.get(i)));
    }
    return decoded;
  }

  /** Several states of one key in one go (a window step's logics and waiting items). */
  default byte[] encodeAll(String stepId, String key, List<Object> states) {
    return encode(stepId, key, new ArrayList<>(states));
  }

  @SuppressWarnings("unchecked")
  default List<Object> decodeAll(String stepId, String key, byte[] bytes) {
    return (List<Object>) decode(stepId, key, bytes);
  }

  /** Java serialization: for dataflows of Java functions, whose state must be Serializable. */
  StateCodec JAVA =
      new StateCodec() {
        @Override
        public byte[] encode(String stepId, String key, Object state) {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
          } catch (IOException e) {
            throw new UserCodeException(
                "state of key " + UserCodeException.quote(key) + " in step " + UserCodeException.quote(stepId)
                    + " can't be snapshotted; with recovery on it must be Serializable",
                stepId,
                e);
          }
          return bytes.toByteArray();
        }

        @Override
        public Object decode(String stepId, String key, byte[] bytes) {
          try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
          } catch (IOException | ClassNotFoundException e) {
            throw new UserCodeException(
                "state of key " + UserCodeException.quote(key) + " in step " + UserCodeException.quote(stepId)
                    + " can't be loaded from the recovery store: " + e,
                stepId,
                e);
          }
        }
      };
}
