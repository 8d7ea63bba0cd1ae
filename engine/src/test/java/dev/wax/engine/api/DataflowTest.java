package dev.wax.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wax.engine.UsageException;
import dev.wax.engine.UserCodeException;
import dev.wax.engine.recovery.RecoveryStore;
import dev.wax.engine.runtime.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataflowTest {
  @Test
  void mapFilterCountRunsOnPlainJavaFunctions() {
    List<Object> out = new ArrayList<>();
    Dataflow flow = new Dataflow("bench");
    List<Integer> numbers = IntStream.range(0, 100).boxed().toList();
    flow.<Integer>input("inp", Sources.of(numbers, 10))
        .map("double", x -> x * 2)
        .filter("keep", x -> x % 3 != 0)
        .countFinal("count", x -> "ALL")
        .output("out", Sinks.collect(out));
    flow.run();
    assertEquals(List.of(new KV<>("ALL", 66L)), out);
  }

  @Test
  void mergeInterleavesInputsItemByItem() {
    List<Object> out = new ArrayList<>();
    Dataflow flow = new Dataflow("merge");
    Stream<Integer> a = flow.input("a", Sources.of(List.of(1, 2)));
    Stream<Integer> b = flow.input("b", Sources.of(List.of(3, 4)));
    a.merge("m", b).output("out", Sinks.collect(out));
    flow.run();
    assertEquals(List.of(1, 3, 2, 4), out);
  }

  @Test
  void countFinalEmitsKeysInSortedOrder() {
    List<Object> out = new ArrayList<>();
    Dataflow flow = new Dataflow("count");
    flow.<String>input("inp", Sources.of(List.of("banana", "apple", "banana", "cherry")))
        .countFinal("count", w -> w)
        .output("out", Sinks.collect(out));
    flow.run();
    assertEquals(
        List.of(new KV<>("apple", 1L), new KV<>("banana", 2L), new KV<>("cherry", 1L)), out);
  }

  @Test
  void statefulMapKeepsStatePerKeyAndDiscardsOnNull() {
    List<Object> out = new ArrayList<>();
    Dataflow flow = new Dataflow("running");
    flow.<Integer>input("inp", Sources.of(List.of(1, 2, 3, 4, 5)))
        .keyOn("key", x -> x % 2 == 0 ? "even" : "odd")
        .<Integer, Integer>statefulMap(
            "sum",
            (Integer sum, Integer x) -> {
              int next = (sum == null ? 0 : sum) + x;
              return new AbstractMap.SimpleEntry<>(next >= 4 ? null : next, next);
            })
        .output("out", Sinks.collect(out));
    flow.run();
    assertEquals(
        List.of(
            new KV<>("odd", 1), new KV<>("even", 2), new KV<>("odd", 4),
            new KV<>("even", 6), new KV<>("odd", 5)),
        out);
  }

  private static Dataflow runningSums(List<Integer> numbers, List<Object> out) {
    Dataflow flow = new Dataflow("sums");
    flow.<Integer>input("inp", Sources.of(numbers, 2))
        .keyOn("key", x -> x % 2 == 0 ? "even" : "odd")
        .<Integer, Integer>statefulMap(
            "sum",
            (Integer sum, Integer x) -> {
              int next = (sum == null ? 0 : sum) + x;
              return new AbstractMap.SimpleEntry<>(next, next);
            })
        .output("out", Sinks.collect(out));
    return flow;
  }

  /**
   * A Java dataflow with recovery run to its end, then again over longer input (on two workers):
   * the second run reads only the new items, and each key's sum carries on.
   */
  @Test
  void aRecoveredRunContinuesWhereTheLastOneEnded(@TempDir Path dir) {
    RecoveryStore.init(dir, 2);
    List<Object> first = new ArrayList<>();
    runningSums(List.of(1, 2, 3, 4, 5, 6), first).run(RunOptions.defaults(), dir, Duration.ZERO);
    List<Object> second = Collections.synchronizedList(new ArrayList<>());
    runningSums(List.of(1, 2, 3, 4, 5, 6, 7, 8), second)
        .run(RunOptions.defaults().withWorkers(2), dir, Duration.ZERO);

    assertEquals(
        List.of(
            // Keys of one batch in sorted order.
            new KV<>("even", 2), new KV<>("odd", 1), new KV<>("even", 6),
            new KV<>("odd", 4), new KV<>("even", 12), new KV<>("odd", 9)),
        first);
    assertEquals(Set.of(new KV<>("odd", 16), new KV<>("even", 20)), Set.copyOf(second));
    assertEquals(2, second.size());
  }

  @Test
  void branchSplitsByPredicate() {
    List<Object> evens = new ArrayList<>();
    List<Object> odds = new ArrayList<>();
    Dataflow flow = new Dataflow("branch");
    List<Stream<Integer>> split =
        flow.<Integer>input("inp", Sources.of(List.of(1, 2, 3, 4), 4))
            .branch("even", x -> x % 2 == 0);
    split.get(0).output("evens", Sinks.collect(evens));
    split.get(1).output("odds", Sinks.collect(odds));
    flow.run();
    assertEquals(List.of(2, 4), evens);
    assertEquals(List.of(1, 3), odds);
  }

  @Test
  void userErrorNamesTheStepAndKeepsTheCause() {
    Dataflow flow = new Dataflow("fail");
    flow.<Integer>input("inp", Sources.of(List.of(1, 0)))
        .map("invert", x -> 1 / x)
        .output("out", Sinks.collect(new ArrayList<>()));
    UserCodeException e = assertThrows(UserCodeException.class, flow::run);
    assertEquals("error calling `mapper` in step \"fail.invert\"", e.getMessage());
    assertInstanceOf(ArithmeticException.class, e.getCause());
  }

  @Test
  void duplicateStepIdIsRejected() {
    Dataflow flow = new Dataflow("dup");
    Stream<Integer> s = flow.input("inp", Sources.of(List.of(1)));
    s.map("m", x -> x);
    UsageException e = assertThrows(UsageException.class, () -> s.map("m", x -> x));
    assertEquals(
        "step 'dup.m' already exists; do you have two steps with the same ID?", e.getMessage());
  }

  @Test
  void flowWithoutOutputIsRejected() {
    Dataflow flow = new Dataflow("noout");
    flow.input("inp", Sources.of(List.of(1)));
    UsageException e = assertThrows(UsageException.class, flow::run);
    assertEquals(
        "Dataflow needs to contain at least one output or inspect step; "
            + "add with `bytewax.operators.output` or `bytewax.operators.inspect`",
        e.getMessage());
  }
}
