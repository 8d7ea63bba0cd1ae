package dev.wax.engine.api;

import dev.wax.engine.io.FixedPartitionedSource;
import dev.wax.engine.io.SourcePartition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Ready-made sources for Java dataflows. */
public final class Sources {
  private Sources() {}

  /** The items of {@code items}, one batch at a time; resumable by position. */
  public static FixedPartitionedSource of(Iterable<?> items, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1; got " + batchSize);
    }
    return new FixedPartitionedSource() {
      @Override
      public List<String> listParts() {
        return List.of("iterable");
      }

      @Override
      public SourcePartition buildPart(String stepId, String partKey, Object resumeState) {
        long skip = resumeState == null ? 0 : (Long) resumeState;
        Iterator<?> it = items.iterator();
        for (long i = 0; i < skip && it.hasNext(); i++) {
          it.next();
        }
        return new SourcePartition() {
          long position = skip;

          @Override
          public List<Object> nextBatch() {
            if (!it.hasNext()) {
              return null;
            }
            List<Object> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize && it.hasNext()) {
              batch.add(it.next());
            }
            position += batch.size();
            return batch;
          }

          @Override
          public Object snapshot() {
            return position;
          }
        };
      }
    };
  }

  public static FixedPartitionedSource of(Iterable<?> items) {
    return of(items, 1);
  }
}
