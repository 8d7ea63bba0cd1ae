package dev.wax.engine.window;

/** Processing time: every item is stamped with the system time of its batch, as is the watermark. */
public record SystemClockSpec() implements ClockSpec {
  @Override
  public ClockLogic build(Object resumeState) {
    return new ClockLogic() {
      private long now = Times.UTC_MIN;

      @Override
      public void beforeBatch(long systemNow) {
        now = Math.max(now, systemNow);
      }

      @Override
      public void onItem(long timestamp, long[] out) {
        out[0] = now;
        out[1] = now;
      }

      @Override
      public long onNotify(long systemNow) {
        now = Math.max(now, systemNow);
        return now;
      }

      @Override
      public long toSystem(long timestamp) {
        return timestamp;
      }

      @Override
      public Object snapshot() {
        return null;
      }
    };
  }
}
