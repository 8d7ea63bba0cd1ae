package dev.wax.engine.runtime;

import java.util.List;

/**
 * How a piece of a batch crosses from one worker to another. Workers that share objects (Java
 * flows, or Python workers sharing one Context) pass pieces as they are; workers with their own
 * Python Context encode on the sending thread and decode on the receiving one.
 */
public interface BatchCodec {
  /** Turns {@code values} into something any worker may hold; runs on the sender's thread. */
  Object encode(String stepId, List<Object> values);

  /** Turns an encoded payload back into values; runs on the receiver's thread. */
  List<Object> decode(Object payload);

  /** Passes pieces as they are: for workers that can share the objects. */
  BatchCodec SHARED =
      new BatchCodec() {
        @Override
        public Object encode(String stepId, List<Object> values) {
          return values;
        }

        @SuppressWarnings("unchecked")
        @Override
        public List<Object> decode(Object payload) {
          return (List<Object>) payload;
        }
      };
}
