package dev.wax.bridge;

import dev.wax.engine.AbortExecution;
import dev.wax.engine.io.DynamicSource;
import dev.wax.engine.io.FixedPartitionedSource;
import dev.wax.engine.io.Source;
import dev.wax.engine.io.SourcePartition;
import java.time.Instant;
import java.util.List;
import org.graalvm.polyglot.Value;

/**
 * Engine sources backed by the Python adapters of {@code bytewax._wax.adapters}, which check the
 * user's return values and speak in plain terms: {@code next_batch()} gives a list, None at EOF or
 * False when the source raised {@code AbortExecution}; times are microseconds.
 */
final class PySources {
  private PySources() {}

  static Source wrap(Value adapter, boolean fixed) {
    return fixed ? new Fixed(adapter) : new Dynamic(adapter);
  }

  private record Fixed(Value adapter) implements FixedPartitionedSource {
    @Override
    public List<String> listParts() {
      return Strings.of(adapter.invokeMember("list_parts"));
    }

    @Override
    public SourcePartition buildPart(String stepId, String partKey, Object resumeState) {
      return new Partition(adapter.invokeMember("build_part", ResumeState.args(resumeState, stepId, partKey)));
    }
  }

  private record Dynamic(Value adapter) implements DynamicSource {
    @Override
    public SourcePartition build(String stepId, int workerIndex, int workerCount) {
      return new Partition(adapter.invokeMember("build", stepId, workerIndex, workerCount));
    }
  }

  private static final class Partition extends PyPartition implements SourcePartition {
    private final Value nextBatch;

    Partition(Value adapter) {
      super(adapter);
      this.nextBatch = adapter.getMember("next_batch");
    }

    @Override
    public List<Object> nextBatch() {
      Value batch = nextBatch.execute();
      if (batch.isNull()) {
        return null;
      }
      if (batch.isBoolean()) {
        throw new AbortExecution();
      }
      return new PyList(batch);
    }

    @Override
    public Instant nextAwake() {
      return Micros.toInstant(adapter.invokeMember("next_awake"));
    }
  }
}
