package dev.wax.engine.metrics;

/** The user calls whose durations a run measures, under Bytewax's metric names and descriptions. */
public enum Timing {
  NEXT_BATCH("inp_part_next_batch_duration_seconds", "`next_batch` duration in seconds"),
  WRITE_BATCH("out_part_write_batch_duration_seconds", "`write_batch` duration in seconds"),
  SNAPSHOT("snapshot_duration_seconds", "`snapshot` duration in seconds"),
  FLAT_MAP_BATCH("flat_map_batch_duration_seconds", "`flat_map_batch` `mapper` duration in seconds"),
  ON_BATCH("stateful_batch_on_batch_duration_seconds", "`StatefulBatchLogic.on_batch` duration in seconds"),
  ON_NOTIFY("stateful_batch_on_notify_duration_seconds", "`StatefulBatchLogic.on_notify` duration in seconds"),
  ON_EOF("stateful_batch_on_eof_duration_seconds", "`StatefulBatchLogic.on_eof` duration in seconds"),
  NOTIFY_AT("stateful_batch_notify_at_duration_seconds", "`StatefulBatchLogic.notify_at` duration in seconds");

  final String metricName;
  final String help;

  Timing(String metricName, String help) {
    this.metricName = metricName;
    this.help = help;
  }
}
