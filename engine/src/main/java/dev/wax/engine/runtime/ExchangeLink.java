package dev.wax.engine.runtime;

import java.util.ArrayList;
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
  /** Pieces of the batch being routed, by the worker they go to. */
  private final List<List<Object>>[] outgoing;
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
    @SuppressWarnings("unchecked")
    List<List<Object>>[] byWorker = new List[senders.length];
    this.outgoing = byWorker;
    for (int w = 0; w < senders.length; w++) {
      // This worker's own pieces never travel: it is never waited for.
      senders[w] = w == self ? Sender.ENDED : Sender.OPEN;
    }
  }

  /**
   * Splits a batch: this worker's pieces go straight into the inbox; each other worker's pieces
   * leave as one message, so a batch costs one encoding per receiving worker.
   */
  void route(List<Object> batch) {
    exchange.split(batch, senders.length, this::place);
    for (int w = 0; w < outgoing.length; w++) {
      if (outgoing[w] != null) {
        send(w, outgoing[w]);
        outgoing[w] = null;
      }
    }
  }

  private void place(int worker, List<Object> piece) {
    if (worker == self) {
      inbox.add(piece);
    } else {
      if (outgoing[worker] == null) {
        outgoing[worker] = new ArrayList<>();
      }
      outgoing[worker].add(piece);
    }
  }

  private void send(int worker, List<List<Object>> pieces) {
    boolean keyed = pieces.get(0) instanceof KeyedBatch;
    String[] keys = keyed ? new String[pieces.size()] : null;
    List<List<Object>> values = new ArrayList<>(pieces.size());
    int items = 0;
    for (int i = 0; i < pieces.size(); i++) {
      List<Object> piece = pieces.get(i);
      if (keyed) {
        keys[i] = ((KeyedBatch) piece).key();
        piece = ((KeyedBatch) piece).values();
      }
      values.add(piece);
      items += piece.size();
    }
    execution.send(self, worker, step, new Message.Data(keys, codec.encode(stepId, values), items));
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
          List<List<Object>> pieces = codec.decode(data.payload());
          for (int i = 0; i < pieces.size(); i++) {
            inbox.add(data.keys() != null ? new KeyedBatch(data.keys()[i], pieces.get(i)) : pieces.get(i));
          }
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
