package dev.wax.engine;

import java.util.List;

/**
 * One core step of a dataflow: its fully qualified id, what it does, the streams it reads (in
 * port order) and the streams it writes, named {@code id + "." + port}.
 */
public record Step(String id, StepSpec spec, List<String> inputs, List<String> outputs) {
  public Step {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The stream id of one of this step's output ports. */
  public String output(String port) {
    String id = this.id + "." + port;
    if (!outputs.contains(id)) {
      throw new IllegalArgumentException("step " + this.id + " has no output port " + port);
    }
    return id;
  }
}
