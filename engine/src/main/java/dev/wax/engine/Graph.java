package dev.wax.engine;

import java.util.List;

/**
 * A validated dataflow: its id and its core steps in creation order. Creation order is also a
 * topological order, because a step can only read streams that already exist.
 */
public record Graph(String flowId, List<Step> steps) {
  public Graph {
    steps = List.copyOf(steps);
  }
}
