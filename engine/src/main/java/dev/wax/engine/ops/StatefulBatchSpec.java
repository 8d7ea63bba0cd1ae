package dev.wax.engine.ops;

import dev.wax.engine.FrontierLag;
import dev.wax.engine.StepSpec;
import dev.wax.engine.metrics.Timing;
import dev.wax.engine.metrics.StepMetrics;
import dev.wax.engine.runtime.Exchange;
import dev.wax.engine.runtime.Inbox;
import dev.wax.engine.runtime.Outlet;
import dev.wax.engine.runtime.Snapshots;
import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import dev.wax.engine.UserCodeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Core step {@code stateful_batch}: one {@link StatefulLogic} per key, driven in sorted key order
 * as that interface describes. Everything a round emits leaves as one batch.
 *
 * @param logicsMayWake false when no logic the builder makes ever asks to be woken ({@code
 *     notify_at} is always none): a resumed run then builds each key's logic only when the key
 *     is next needed (an item, or the end of input) instead of all of them before it starts
 */
public record StatefulBatchSpec(KeyGrouper keys, LogicBuilder builder, boolean logicsMayWake) implements StepSpec {
  public StatefulBatchSpec(KeyGrouper keys, LogicBuilder builder) {
    this(keys, builder, true);
  }

  @Override
  public List<String> outputPorts() {
    return List.of("down");
  }

  /** Bytewax routes keys through one operator, then runs the logics in a second. */
  @Override
  public FrontierLag frontierLag() {
    return new FrontierLag(1, 1);
  }

  @Override
  public boolean keepsStatePerKey() {
    return true;
  }

  @Override
  public String traceName(String stepId) {
    return stepId + ".stateful_batch";
  }

  @Override
  public StepRunner newRunner(StepContext context) {
    return new Runner(context, keys, builder, logicsMayWake);
  }

  private static final class Runner implements StepRunner {
    private final StepContext context;
    private final String stepId;
    private final KeyGrouper keys;
    private final LogicBuilder builder;
    private final boolean logicsMayWake;
    private final Inbox inbox;
    private final Outlet down;
    private final StepMetrics metrics;
    private final Map<String, StatefulLogic> logics = new HashMap<>();
    /** Resumed keys whose logics are not built yet, with their encoded state (see logicsMayWake). */
    private final Map<String, byte[]> dormant = new HashMap<>();
    private final Map<String, Instant> notifyAt = new HashMap<>();
    /** Keys touched since the last epoch close: their state is snapshotted then. */
    private final TreeSet<String> touchedInEpoch = new TreeSet<>();
    private final List<List<Object>> emitted = new ArrayList<>();
    /** The epoch of this step's last round. */
    private long roundEpoch;
    private boolean done;

    Runner(StepContext context, KeyGrouper keys, LogicBuilder builder, boolean logicsMayWake) {
      this.context = context;
      this.stepId = context.stepId();
      this.keys = keys;
      this.builder = builder;
      this.logicsMayWake = logicsMayWake;
      this.inbox = context.inbox();
      this.down = context.outlet("down");
      this.metrics = context.metrics();
    }

    /**
     * Rebuilds the keys this worker holds from their snapshots and asks when they want waking;
     * logics that never wake stay encoded until needed.
     */
    @Override
    public void start() {
      roundEpoch = context.epoch();
      if (!logicsMayWake) {
        dormant.putAll(context.resumeEncoded(context::ownsKey));
        return;
      }
      context
          .resumeStates(context::ownsKey)
          .forEach(
              (key, state) -> {
                logics.put(key, build(key, state));
                askNotifyAt(key);
              });
    }

    @Override
    public boolean runRound() {
      if (done) {
        return false;
      }
      // As Bytewax: wake-ups are due by the time the round starts, and the epoch this step last
      // worked in is finished first, so its due wake-ups come before a new epoch's items.
      Instant now = context.now();
      boolean worked = false;
      if (context.epoch() != roundEpoch) {
        roundEpoch = context.epoch();
        TreeSet<String> woken = new TreeSet<>();
        worked = processNotifications(now, woken);
        askNotifyAt(woken);
      }
      TreeSet<String> touched = new TreeSet<>();
      worked |= processInput(touched);
      worked |= processNotifications(now, touched);
      if (inbox.isExhausted()) {
        touchedInEpoch.addAll(touched);
        processEof();
        done = true;
        worked = true;
      } else {
        askNotifyAt(touched);
      }
      flush();
      return worked;
    }

    private boolean processInput(TreeSet<String> touched) {
      if (inbox.isEmpty()) {
        return false;
      }
      TreeMap<String, List<Object>> byKey = ByKey.drain(inbox);
      metrics.itemsIn(ByKey.count(byKey));
      for (Map.Entry<String, List<Object>> entry : byKey.entrySet()) {
        String key = entry.getKey();
        StatefulLogic l = logicOf(key);
        List<Object> values = entry.getValue();
        apply(key, metrics.timed(Timing.ON_BATCH, () -> UserCall.call(UserCall.callingLogic("on_batch", stepId, key), stepId, () -> l.onBatch(values))));
        touched.add(key);
      }
      return true;
    }

    /** The key's logic: built now if it has none yet, from its snapshot if it has one. */
    private StatefulLogic logicOf(String key) {
      StatefulLogic logic = logics.get(key);
      if (logic == null) {
        byte[] snapshot = dormant.remove(key);
        logic = build(key, snapshot == null ? null : context.stateCodec().decode(stepId, key, snapshot));
        logics.put(key, logic);
      }
      return logic;
    }

    /** Bytewax lets a failing builder's exception through unwrapped. */
    private StatefulLogic build(String key, Object resumeState) {
      try {
        return builder.build(key, resumeState);
      } catch (RuntimeException e) {
        throw UserCodeException.unwrapped(stepId, e);
      }
    }

    private boolean processNotifications(Instant now, TreeSet<String> touched) {
      if (notifyAt.isEmpty()) {
        return false;
      }
      TreeSet<String> due = ByKey.due(notifyAt, now);
      for (String key : due) {
        notifyAt.remove(key);
        StatefulLogic logic = logics.get(key);
        if (logic != null) {
          apply(key, metrics.timed(Timing.ON_NOTIFY, () -> UserCall.call(UserCall.callingLogic("on_notify", stepId, key), stepId, logic::onNotify)));
          touched.add(key);
        }
      }
      return !due.isEmpty();
    }

    private void processEof() {
      TreeSet<String> all = new TreeSet<>(logics.keySet());
      all.addAll(dormant.keySet());
      for (String key : all) {
        StatefulLogic logic = logicOf(key);
        apply(key, metrics.timed(Timing.ON_EOF, () -> UserCall.call(UserCall.callingLogic("on_eof", stepId, key), stepId, logic::onEof)));
        touchedInEpoch.add(key);
      }
      notifyAt.clear();
    }

    private void apply(String key, StatefulLogic.Emit emit) {
      metrics.itemsOut(emit.items().size());
      if (!emit.items().isEmpty()) {
        emitted.add(emit.items());
      }
      if (emit.discard()) {
        logics.remove(key);
        notifyAt.remove(key);
      }
    }

    /** Asks the keys just worked on when they want waking; their state is snapshotted at the epoch's close. */
    private void askNotifyAt(TreeSet<String> touched) {
      for (String key : touched) {
        askNotifyAt(key);
      }
      touchedInEpoch.addAll(touched);
    }

    private void askNotifyAt(String key) {
      StatefulLogic logic = logics.get(key);
      if (logic == null) {
        return;
      }
      Instant at =
          metrics.timed(
              Timing.NOTIFY_AT, () -> UserCall.call(UserCall.callingLogic("notify_at", stepId, key), stepId, logic::notifyAt));
      if (at == null) {
        notifyAt.remove(key);
      } else {
        notifyAt.put(key, at);
      }
    }

    /** Sends this round's emits downstream as a single batch. */
    private void flush() {
      if (emitted.isEmpty()) {
        return;
      }
      if (emitted.size() == 1) {
        down.emit(emitted.get(0));
      } else {
        List<Object> all = new ArrayList<>();
        for (List<Object> items : emitted) {
          all.addAll(items);
        }
        down.emit(all);
      }
      emitted.clear();
    }

    @Override
    public Exchange exchange() {
      return Exchange.byKey(keys);
    }

    @Override
    public boolean isDone() {
      return done;
    }

    @Override
    public long liveKeys() {
      return logics.size() + dormant.size();
    }

    @Override
    public Instant wakeAt() {
      return ByKey.earliest(notifyAt);
    }

    @Override
    public void closeEpoch(long epoch, Snapshots snapshots) {
      for (String key : touchedInEpoch) {
        StatefulLogic logic = logics.get(key);
        if (logic == null) {
          snapshots.discard(key);
        } else {
          snapshots.put(
              key,
              metrics.timed(
                  Timing.SNAPSHOT, () -> UserCall.call(UserCall.callingLogic("snapshot", stepId, key), stepId, logic::snapshot)));
        }
      }
      touchedInEpoch.clear();
    }
  }
}
