package dev.wax.bridge;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps Apache Kafka's log lines (client and broker) out of a flow's output: only warnings, and
 * not even those from the places that warn of routine events (a broker's first start, a new
 * topic's first metadata, a consumer closed mid-fetch, a broker not up yet). The errors Wax
 * raises say what went wrong once.
 */
public final class KafkaLogs {
  /** Held here: the logging framework keeps loggers only weakly, and would forget the levels. */
  private static final List<Logger> WARNINGS =
      List.of(Logger.getLogger("org.apache.kafka"), Logger.getLogger("kafka"), Logger.getLogger("state.change.logger"));

  private static final List<Logger> ROUTINE =
      List.of(
          Logger.getLogger("org.apache.kafka.clients.NetworkClient"),
          Logger.getLogger("org.apache.kafka.controller.QuorumController"),
          Logger.getLogger("org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils"));

  private KafkaLogs() {}

  public static void quiet() {
    WARNINGS.forEach(logger -> logger.setLevel(Level.WARNING));
    ROUTINE.forEach(logger -> logger.setLevel(Level.SEVERE));
  }
}
