package dev.wax.engine.window;

import java.util.Arrays;
import java.util.List;

/** Processing time: every item is stamped with the system time of its batch, as is the watermark. */
public record SystemClockSpec() implements ClockSpec {
  @Override
  public ClockLogic build(Object resumeState) {
    return new ClockLogic() {
      private long now = resumeState instanceof long[] state ? state[0] : Times.UTC_MIN;

      @Override
      public void onItems(List<Object> values, long systemNow, long[] timestamps, long[] watermarks) {
        now = Math.max(now, systemNow);
        Arrays.fill(timestamps, 0, values.size(), now);
        Arrays.fill(watermarks, 0, values.size(), now);
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
        return new long[] {now};
      }
    };
  }
}
