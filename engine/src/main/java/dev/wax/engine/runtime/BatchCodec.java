package dev.wax.engine.runtime;

import java.util.List;

/**
 * How a piece of a batch crosses from one worker to another. Workers that share objects (Java
 * flows, or Python workers sharing one Context) pass pieces as they are; workers with their own
 * Python Context encode on the sending thread and decode on the receiving one.
 */
public interface BatchCodec {
  /**
   * Turns pieces (lists of values) into something any worker may hold; runs on the sender's
   * thread.
   */
  Object encode(String stepId, List<List<Object>> pieces);

  /** Turns an encoded payload back into its pieces; runs on the receiver's thread. */
  List<List<Object>> decode(Object payload);

  /** Passes pieces as they are: for workers that can share the objects. */
  BatchCodec SHARED =
      new BatchCodec() {
        @Override
        public Object encode(String stepId, List<List<Object>> pieces) {
          return pieces;
        }

        @SuppressWarnings("unchecked")
        @Override
        public List<List<Object>> decode(Object payload) {
          return (List<List<Object>>) payload;
        }
      };
}
