package dev.wax.bridge;

import dev.wax.engine.io.DynamicSink;
import dev.wax.engine.io.FixedPartitionedSink;
import dev.wax.engine.io.OutputCommitter;
import dev.wax.engine.io.Sink;
import dev.wax.engine.io.SinkPartition;
import java.util.List;
import org.graalvm.polyglot.Value;

/** Engine sinks backed by the Python adapters of {@code bytewax._wax.adapters}. */
final class PySinks {
  private PySinks() {}

  static Sink wrap(Value adapter, boolean fixed) {
    return fixed ? new Fixed(adapter) : new Dynamic(adapter);
  }

  private record Fixed(Value adapter) implements FixedPartitionedSink {
    @Override
    public List<String> listParts() {
      return Strings.of(adapter.invokeMember("list_parts"));
    }

    @Override
    public int partFor(String key) {
      return adapter.invokeMember("part_index", key).asInt();
    }

    @Override
    public SinkPartition buildPart(String stepId, String partKey, Object resumeState) {
      return new Partition(adapter.invokeMember("build_part", ResumeState.args(resumeState, stepId, partKey)));
    }
  }

  private record Dynamic(Value adapter) implements DynamicSink {
    @Override
    public SinkPartition build(String stepId, int workerIndex, int workerCount) {
      return new Partition(adapter.invokeMember("build", stepId, workerIndex, workerCount));
    }
  }

  private static final class Partition extends PyPartition implements SinkPartition {
    private final Value writeBatch;

    Partition(Value adapter) {
      super(adapter);
      this.writeBatch = adapter.getMember("write_batch");
    }

    /** A Java committer the Python partition hands over (Wax's exactly-once Kafka sink's). */
    @Override
    public OutputCommitter committer() {
      Value committer = adapter.invokeMember("committer");
      return committer.isNull() ? null : committer.asHostObject();
    }

    @Override
    public void writeBatch(List<Object> items) {
      writeBatch.executeVoid(PyList.toPython(items));
    }
  }
}
