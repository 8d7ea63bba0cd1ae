package dev.wax.engine.window;

import java.util.List;

/**
 * What happens inside one window of one key. Each method returns values to emit downstream at
 * once (most logics emit only on close).
 */
public interface WindowLogic {
  /** The window's new on-time values, in order. */
  List<Object> onValues(List<Object> values);

  /** Session windows only: {@code from}, a window merged into this one, is gone afterwards. */
  List<Object> onMerge(WindowLogic from);

  /** The window closed: its final values. */
  List<Object> onClose();

  Object snapshot();
}
