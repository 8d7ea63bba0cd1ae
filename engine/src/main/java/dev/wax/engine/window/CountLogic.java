package dev.wax.engine.window;

import java.util.List;

/** Counts the values in a window, in Java: what {@code count_window} needs per item. */
public final class CountLogic implements WindowLogic {
  public static final WindowLogicBuilder BUILDER =
      resume -> new CountLogic(resume == null ? 0 : ((Number) resume).longValue());

  private long count;

  private CountLogic(long count) {
    this.count = count;
  }

  @Override
  public List<Object> onValues(List<Object> values) {
    count += values.size();
    return List.of();
  }

  @Override
  public List<Object> onMerge(WindowLogic from) {
    count += ((CountLogic) from).count;
    return List.of();
  }

  @Override
  public List<Object> onClose() {
    return List.of(count);
  }

  @Override
  public Object snapshot() {
    return count;
  }
}
