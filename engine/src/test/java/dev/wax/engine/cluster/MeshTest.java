package dev.wax.engine.cluster;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two processes (threads here) of one cluster, connected over loopback TCP. */
class MeshTest {
  /**
   * A program that runs many short dataflows in turn: each run forms its own mesh, and the
   * process that is ready first sends its items at once, possibly before the other process has
   * seen the end of the handshake. Every run must count every item, and none may hang.
   */
  @Test
  void shortRunsInARowEachCountEveryItem() throws Exception {
    RunsInARow.run(60, Duration.ofSeconds(120)).assertEveryRunCountedEveryItem();
  }
}
