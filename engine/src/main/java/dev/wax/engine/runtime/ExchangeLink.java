package dev.wax.engine.runtime;

import java.util.List;

/**
 * One worker's end of an exchanged step. It places the pieces of each batch offered to the step:
 * its own pieces straight into the inbox, the others' encoded and sent. It receives what other
 * workers send, in order per sender, stopping at a sender's epoch end until this worker closes
 * that epoch too, so a snapshot never holds data of the next epoch.
 */
final class ExchangeLink {
  private enum Sender {
    OPEN,
    AT_EPOCH_END,
    ENDED
  }

  private final Execution execution;
  private final int step;
  private final String stepId;
  private final int self;
  private final Exchange exchange;
  private final BatchCodec codec;
  private final Inbox inbox;
  private final Sender[] senders;
  private boolean epochEndSent;
  private boolean endSent;

  ExchangeLink(
      Execution execution, int step, String stepId, int self, Exchange exchange, BatchCodec codec, Inbox inbox) {
    this.execution = execution;
    this.step = step;
    this.stepId = stepId;
    this.self = self;
    this.exchange = exchange;
    this.codec = codec;
    this.inbox = inbox;
    this.senders = new Sender[execution.workerCount()];
    for (int w = 0; w < senders.length; w++) {
      // This worker's own pieces never travel: it is never waited for.
      senders[w] = w == self ? Sender.ENDED : Sender.OPEN;
    }
  }

  void route(List<Object> batch) {
    exchange.split(batch, senders.length, this::place);
  }

  private void place(int worker, List<Object> piece) {
    if (worker == self) {
      inbox.add(piece);
      return;
    }
    KeyedBatch keyed = piece instanceof KeyedBatch k ? k : null;
    List<Object> values = keyed != null ? keyed.values() : piece;
    Object payload = codec.encode(stepId, values);
    execution.send(self, worker, step, new Message.Data(keyed != null ? keyed.key() : null, payload, values.size()));
  }

  /**
   * Queues what other workers sent, up to each one's epoch end.
   *
   * @return whether anything arrived
   */
  boolean receive() {
    boolean received = false;
    for (int w = 0; w < senders.length; w++) {
      Message message;
      while (senders[w] == Sender.OPEN && (message = execution.poll(self, step, w)) != null) {
        received = true;
        if (message instanceof Message.Data data) {
          List<Object> values = codec.decode(data.payload());
          inbox.add(data.key() != null ? new KeyedBatch(data.key(), values) : values);
        } else {
          senders[w] = message instanceof Message.End ? Sender.ENDED : Sender.AT_EPOCH_END;
        }
      }
    }
    return received;
  }

  /** Whether some worker already ended the current epoch, so this one should end it too. */
  boolean anySenderAtEpochEnd() {
    for (Sender sender : senders) {
      if (sender == Sender.AT_EPOCH_END) {
        return true;
      }
    }
    return false;
  }

  /** Tells every other worker this worker has sent all its data of {@code epoch}, once. */
  void endEpoch(long epoch) {
    if (!epochEndSent && !endSent) {
      broadcast(new Message.EpochEnd(epoch));
    }
    epochEndSent = true;
  }

  /** Tells every other worker this worker will send nothing more, once. */
  void end() {
    if (!endSent) {
      broadcast(new Message.End());
      endSent = true;
    }
  }

  boolean endSent() {
    return endSent;
  }

  private void broadcast(Message message) {
    for (int w = 0; w < senders.length; w++) {
      if (w != self) {
        execution.send(self, w, step, message);
      }
    }
  }

  /** Whether every other worker has sent all its data of the current epoch (or ended). */
  boolean allAtEpochEnd() {
    for (Sender sender : senders) {
      if (sender == Sender.OPEN) {
        return false;
      }
    }
    return true;
  }

  boolean allEnded() {
    for (Sender sender : senders) {
      if (sender != Sender.ENDED) {
        return false;
      }
    }
    return true;
  }

  /** The epoch closed here: read on past each sender's epoch end. */
  void epochClosed() {
    for (int w = 0; w < senders.length; w++) {
      if (senders[w] == Sender.AT_EPOCH_END) {
        senders[w] = Sender.OPEN;
      }
    }
    epochEndSent = false;
  }
}
