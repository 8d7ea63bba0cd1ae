package dev.wax.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wax.engine.GraphBuilder;
import dev.wax.engine.Step;
import dev.wax.engine.api.Sinks;
import dev.wax.engine.api.Sources;
import dev.wax.engine.recovery.RecoveryStore;
import dev.wax.engine.runtime.Execution;
import dev.wax.engine.runtime.Recovery;
import dev.wax.engine.runtime.RunOptions;
import dev.wax.engine.runtime.StateCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a resumed {@code stateful_batch} step builds its keys' logics. */
class StatefulBatchSpecTest {
  @TempDir Path dir;

  /**
   * Logics that may wake are all built before the run starts, so each can be asked when to wake;
   * the resumed keys' sums carry on.
   */
  @Test
  void resumedLogicsThatMayWakeAreBuiltAtStart() {
    assertEquals(
        List.of("build a from 1", "build b from 2", "build c from 3", "b gets [4]", "eof a", "eof b", "eof c"),
        resumeWithOneNewItem(true));
  }

  /**
   * Logics that never wake stay encoded until needed: a key with a new item is built when it
   * arrives, the others at the end of input, each from its own state.
   */
  @Test
  void resumedLogicsThatNeverWakeAreBuiltWhenNeeded() {
    assertEquals(
        List.of("build b from 2", "b gets [4]", "build a from 1", "eof a", "eof b", "build c from 3", "eof c"),
        resumeWithOneNewItem(false));
  }

  /**
   * Runs sums of keys a, b, c to the end of their input, then resumes over one more item for b;
   * returns what the resumed run's logics did, in order, and checks its output.
   */
  private List<String> resumeWithOneNewItem(boolean logicsMayWake) {
    RecoveryStore.init(dir, 1);
    run(List.of("a1", "b2", "c3"), logicsMayWake, new ArrayList<>());
    List<String> log = new ArrayList<>();
    assertEquals(List.of("b=6"), run(List.of("a1", "b2", "c3", "b4"), logicsMayWake, log));
    return log;
  }

  /** Runs {@code items} ("key" + number) through per-key sums with recovery on {@link #dir}. */
  private List<Object> run(List<String> items, boolean logicsMayWake, List<String> log) {
    KeyGrouper byFirstLetter =
        (batch, byKey) -> {
          for (Object item : batch) {
            String text = (String) item;
            byKey.accept(text.substring(0, 1), List.of(Integer.parseInt(text.substring(1))));
          }
        };
    LogicBuilder sums =
        (key, resume) -> {
          if (resume != null) {
            log.add("build " + key + " from " + resume);
          }
          return new StatefulLogic() {
            int sum = resume == null ? 0 : (Integer) resume;

            @Override
            public Emit onBatch(List<Object> values) {
              log.add(key + " gets " + values);
              for (Object value : values) {
                sum += (Integer) value;
              }
              return new Emit(List.of(key + "=" + sum), false);
            }

            @Override
            public Emit onEof() {
              log.add("eof " + key);
              return Emit.RETAIN_NONE;
            }

            @Override
            public Object snapshot() {
              return sum;
            }
          };
        };
    List<Object> out = new ArrayList<>();
    GraphBuilder graph = new GraphBuilder("sums");
    Step input = graph.add("sums.inp", new InputSpec(Sources.of(items)), List.of());
    Step sum =
        graph.add(
            "sums.sum", new StatefulBatchSpec(byFirstLetter, sums, logicsMayWake), List.of(input.output("down")));
    graph.add("sums.out", new OutputSpec(Sinks.collect(out), null), List.of(sum.output("down")));
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 1)) {
      Execution.run(graph.build(), RunOptions.defaults().withRecovery(new Recovery(store, StateCodec.JAVA)));
    }
    return out;
  }
}
