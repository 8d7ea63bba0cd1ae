package dev.wax.engine.ops;

import dev.wax.engine.FrontierLag;
import dev.wax.engine.StepSpec;
import dev.wax.engine.metrics.Timing;
import dev.wax.engine.metrics.StepMetrics;
import dev.wax.engine.UserCodeException;
import dev.wax.engine.runtime.Exchange;
import dev.wax.engine.runtime.Inbox;
import dev.wax.engine.runtime.Outlet;
import dev.wax.engine.runtime.Snapshots;
import dev.wax.engine.runtime.StateCodec;
import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import dev.wax.engine.window.ClockSpec;
import dev.wax.engine.window.Times;
import dev.wax.engine.window.WindowLogicBuilder;
import dev.wax.engine.window.WindowShaper;
import dev.wax.engine.window.WindowerSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Core step {@code window}: per key, a clock, a windower and one {@link
 * dev.wax.engine.window.WindowLogic} per open window. Writes results to {@code down}, late items
 * to {@code late} and one metadata item per closed window to {@code meta}. A key's state is
 * dropped as soon as it has no open window and nothing queued.
 */
public record WindowSpec(
    KeyGrouper keys,
    ClockSpec clock,
    WindowerSpec windower,
    WindowLogicBuilder logic,
    boolean ordered,
    WindowShaper shaper)
    implements StepSpec {
  @Override
  public List<String> outputPorts() {
    return List.of("down", "late", "meta");
  }

  /**
   * Bytewax's {@code window} is a {@code stateful_batch} whose events one more operator per port
   * unwraps ({@code filter_map_value}).
   */
  @Override
  public FrontierLag frontierLag() {
    return new FrontierLag(1, 2);
  }

  @Override
  public boolean keepsStatePerKey() {
    return true;
  }

  /** Bytewax runs windows in a {@code stateful_batch} step. */
  @Override
  public String traceName(String stepId) {
    return stepId + ".stateful_batch";
  }

  @Override
  public StepRunner newRunner(StepContext context) {
    return new Runner(context, this);
  }

  private static final class Runner implements StepRunner {
    private final StepContext context;
    private final WindowSpec spec;
    private final String stepId;
    private final Inbox inbox;
    private final Outlet down;
    private final Outlet late;
    private final Outlet meta;
    private final StepMetrics metrics;
    private final LongSupplier customNow;
    private final Map<String, KeyWindows> states = new HashMap<>();
    private final Map<String, Long> wakeAt = new HashMap<>();
    private final TreeSet<String> touchedInEpoch = new TreeSet<>();
    private final WindowOutput output = new WindowOutput();
    /** The epoch of this step's last round. */
    private long roundEpoch;
    private boolean done;

    Runner(StepContext context, WindowSpec spec) {
      this.context = context;
      this.spec = spec;
      this.stepId = context.stepId();
      this.inbox = context.inbox();
      this.down = context.outlet("down");
      this.late = context.outlet("late");
      this.meta = context.outlet("meta");
      this.metrics = context.metrics();
      this.customNow = spec.clock().systemNow();
    }

    private long systemNow() {
      if (customNow != null) {
        return UserCall.call(UserCall.calling("`now_getter`", stepId), stepId, customNow::getAsLong);
      }
      return Times.of(context.now());
    }

    @Override
    public boolean runRound() {
      if (done) {
        return false;
      }
      TreeSet<String> touched = new TreeSet<>();
      boolean worked = false;
      if (context.epoch() != roundEpoch) {
        // As Bytewax: the epoch this step last worked in is finished first, so wake-ups already
        // due come before a new epoch's items.
        roundEpoch = context.epoch();
        worked = processWakeUps(touched);
        settle(touched);
      }
      worked |= processInput(touched);
      worked |= processWakeUps(touched);
      if (inbox.isExhausted()) {
        for (String key : new TreeSet<>(states.keySet())) {
          KeyWindows state = states.get(key);
          metrics.timed(
              Timing.ON_EOF,
              () ->
                  UserCall.run(
                      UserCall.callingLogic("on_eof", stepId, key),
                      stepId,
                      () -> state.release(key, state.clock.onEof(), output)));
          touched.add(key);
        }
        done = true;
        worked = true;
      }
      settle(touched);
      flush();
      return worked;
    }

    private boolean processInput(TreeSet<String> touched) {
      if (inbox.isEmpty()) {
        return false;
      }
      TreeMap<String, List<Object>> byKey = ByKey.drain(inbox);
      metrics.itemsIn(ByKey.count(byKey));
      long now = systemNow();
      for (Map.Entry<String, List<Object>> entry : byKey.entrySet()) {
        String key = entry.getKey();
        List<Object> values = entry.getValue();
        KeyWindows state = states.computeIfAbsent(key, k -> newState());
        metrics.timed(
            Timing.ON_BATCH,
            () ->
                UserCall.run(
                    UserCall.callingLogic("on_batch", stepId, key),
                    stepId,
                    () -> state.accept(key, values, now, output)));
        touched.add(key);
      }
      return true;
    }

    private KeyWindows newState() {
      return new KeyWindows(
          spec.clock().build(null), spec.windower().build(null), spec.logic(), spec.ordered());
    }

    private boolean processWakeUps(TreeSet<String> touched) {
      if (wakeAt.isEmpty()) {
        return false;
      }
      long now = systemNow();
      TreeSet<String> due = ByKey.due(wakeAt, now);
      for (String key : due) {
        wakeAt.remove(key);
        KeyWindows state = states.get(key);
        if (state != null) {
          metrics.timed(
              Timing.ON_NOTIFY,
              () ->
                  UserCall.run(
                      UserCall.callingLogic("on_notify", stepId, key),
                      stepId,
                      () -> state.release(key, state.clock.onNotify(now), output)));
          touched.add(key);
        }
      }
      return !due.isEmpty();
    }

    private void settle(TreeSet<String> touched) {
      for (String key : touched) {
        settle(key);
      }
      touchedInEpoch.addAll(touched);
    }

    /** After a key's activity: drop its state if nothing is open, else schedule its wake-up. */
    private void settle(String key) {
      KeyWindows state = states.get(key);
      if (state == null) {
        return;
      }
      if (state.isEmpty()) {
        states.remove(key);
        wakeAt.remove(key);
        return;
      }
      long wake = state.nextWakeSystemTime();
      if (wake == Long.MAX_VALUE || done) {
        wakeAt.remove(key);
      } else {
        wakeAt.put(key, wake);
      }
    }

    /** Shapes and emits this round's items, skipping ports no step reads (often meta, late). */
    private void flush() {
      metrics.itemsOut(output.downKeys.size() + output.lateKeys.size() + output.metaKeys.size());
      if (!output.downKeys.isEmpty() && down.hasReaders()) {
        down.emit(output.shapeValues(spec.shaper(), output.downKeys, output.downIds, output.downValues));
      }
      if (!output.lateKeys.isEmpty() && late.hasReaders()) {
        late.emit(output.shapeValues(spec.shaper(), output.lateKeys, output.lateIds, output.lateValues));
      }
      if (!output.metaKeys.isEmpty() && meta.hasReaders()) {
        meta.emit(spec.shaper().metadata(output.metaKeys, output.metas));
      }
      output.clear();
    }

    @Override
    public Exchange exchange() {
      return Exchange.byKey(spec.keys());
    }

    @Override
    public boolean isDone() {
      return done;
    }

    @Override
    public long liveKeys() {
      return states.size();
    }

    @Override
    public Instant wakeAt() {
      Long earliest = ByKey.earliest(wakeAt);
      if (earliest == null) {
        return null;
      }
      // A custom clock's time is not the worker's: poll it again soon instead.
      return customNow != null ? context.now().plusMillis(1) : Times.toInstant(earliest);
    }

    /** Rebuilds the keys this worker holds from their snapshots and schedules their wake-ups. */
    @Override
    public void start() {
      roundEpoch = context.epoch();
      context
          .resumeEncoded(context::ownsKey)
          .forEach(
              (key, bytes) -> {
                KeyWindows state =
                    UserCall.call(
                        () ->
                            "error resuming the window state of key "
                                + UserCodeException.quote(key)
                                + " in step "
                                + UserCodeException.quote(stepId),
                        stepId,
                        () ->
                            KeyWindows.restore(
                                bytes,
                                context.stateCodec(),
                                stepId,
                                key,
                                spec.clock(),
                                spec.windower(),
                                spec.logic(),
                                spec.ordered()));
                states.put(key, state);
                // A window due to close closes after the resume without new data for its key.
                settle(key);
              });
    }

    /** Snapshots each key touched in the epoch; a key whose windows all closed is discarded. */
    @Override
    public void closeEpoch(long epoch, Snapshots snapshots) {
      StateCodec codec = context.stateCodec();
      for (String key : touchedInEpoch) {
        KeyWindows state = states.get(key);
        if (state == null) {
          snapshots.discard(key);
        } else if (codec != null) {
          snapshots.putEncoded(
              key,
              metrics.timed(
                  Timing.SNAPSHOT,
                  () ->
                      UserCall.call(
                          UserCall.callingLogic("snapshot", stepId, key),
                          stepId,
                          () -> state.snapshot(codec, stepId, key))));
        }
      }
      touchedInEpoch.clear();
    }
  }
}
