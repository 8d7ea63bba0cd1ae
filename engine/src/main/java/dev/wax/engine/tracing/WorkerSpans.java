package dev.wax.engine.tracing;

/**
 * The spans of one worker's run, named as Bytewax names its own: {@code worker_main} and within
 * it {@code production_dataflow} for the whole run, a {@code step} for each scheduling round in
 * which some step worked, and within that an {@code operator} for each step that worked, whose
 * {@code operator} attribute is Bytewax's name for it. Rounds without work leave no span.
 */
public interface WorkerSpans {
  /** Records nothing. */
  WorkerSpans NONE =
      new WorkerSpans() {
        @Override
        public void runStarted() {}

        @Override
        public long now() {
          return 0;
        }

        @Override
        public void operatorWorked(String operator, long roundStart, long start) {}

        @Override
        public void roundEnded() {}

        @Override
        public void runEnded() {}
      };

  /** The worker's run starts. */
  void runStarted();

  /** The time now, in nanoseconds since the Unix epoch (what the span timestamps take). */
  long now();

  /** {@code operator} worked from {@code start} until now, in the round begun at {@code roundStart}. */
  void operatorWorked(String operator, long roundStart, long start);

  /** The round ended. */
  void roundEnded();

  /** The worker's run ended, however it ended. */
  void runEnded();
}
