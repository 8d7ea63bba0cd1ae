package dev.wax.engine.cluster;

import dev.wax.engine.WaxException;
import dev.wax.engine.runtime.Execution;
import dev.wax.engine.runtime.Message;
import dev.wax.engine.runtime.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of a cluster as a full mesh of TCP connections over Netty, with static
 * membership: each process listens on its own address and connects to every process with a
 * lower id. Frames carry exchanged items, epoch ends and ends of streams; heartbeats, failure
 * notices and goodbyes make all processes share one fate.
 */
public final class Mesh implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(Mesh.class);
  private static final AttributeKey<Integer> PROCESS = AttributeKey.valueOf("wax.process");
  /**
   * On a connection this process opened: the process it was meant to reach, and by when. Set by
   * the bootstrap before the connection exists: on loopback it may be accepted, answered and
   * closed before a listener on the connect future runs.
   */
  private static final AttributeKey<Integer> TARGET = AttributeKey.valueOf("wax.target");
  private static final AttributeKey<Long> DEADLINE = AttributeKey.valueOf("wax.deadline");
  /** A silent connection sends a heartbeat this often... */
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);
  /** ...so one silent this long means its process is gone. */
  private static final Duration SILENCE_LIMIT = Duration.ofSeconds(5);

  private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofSeconds(1);

  /** A process not listening yet is tried again after 10 ms, then 20, 40... up to 200 ms. */
  private static final long FIRST_RETRY_MILLIS = 10;
  private static final long LAST_RETRY_MILLIS = 200;

  /** What each side's proof in the handshake is for, so one cannot be passed off as another. */
  static final String ANSWER_PROOF = "wax answer";
  static final String CONNECTOR_HELLO_PROOF = "wax hello from the connecting process";
  static final String ACCEPTOR_HELLO_PROOF = "wax hello from the accepting process";

  private final ClusterConfig config;
  private final int workersPerProcess;
  /** Which of a series of runs this mesh carries: a connection from another run is turned away. */
  private final int run;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  /**
   * Every connection of this run, accepted or opened, peer or not: closing the run closes them
   * all while the event loop still runs. (One accepted as the loop shuts down was left open, and
   * the next run's process waited on it until it fell silent.)
   */
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE, true);
  private final Channel[] peers;
  /** Per process: how many times this process tried to reach it (read on the event loop only). */
  private final int[] attempts;
  private final AtomicIntegerArray saidBye;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private Channel server;
  /**
   * Refused connections are logged at most once per {@link #REFUSAL_LOG_INTERVAL}, so a flood of
   * strangers cannot flood the log (read and written on the event loop only).
   */
  private long nextRefusalLog = System.nanoTime();
  private int unloggedRefusals;
  private volatile Execution execution;
  private volatile boolean closing;

  private Mesh(ClusterConfig config, int workersPerProcess, int run) {
    this.config = config;
    this.workersPerProcess = workersPerProcess;
    this.run = run;
    this.peers = new Channel[config.processCount()];
    this.attempts = new int[config.processCount()];
    this.saidBye = new AtomicIntegerArray(config.processCount());
  }

  /**
   * This process's run of a cluster: starts the mesh for run {@code run} (0 unless one program
   * runs several dataflows in turn), waits until every process is connected, and returns the
   * execution that reaches the others through it. A cluster that cannot form is an error, and
   * leaves nothing open.
   */
  public static Execution join(ClusterConfig config, int workersPerProcess, int run) {
    Mesh mesh = new Mesh(config, workersPerProcess, run);
    // Bound before any connection opens: a peer that is ready first may send at once, and no
    // frame (nor the loss of a connection) may arrive before there is an execution to take it.
    Execution execution = new Execution(workersPerProcess, config.processId(), config.processCount(), mesh);
    try {
      mesh.open();
      mesh.awaitReady();
    } catch (RuntimeException e) {
      mesh.close();
      throw e;
    }
    return execution;
  }

  /** Listens on this process's address and starts connecting to the lower ids in the background. */
  private void open() {
    listen();
    if (config.processCount() == 1) {
      ready.complete(null);
    }
    long deadline = System.nanoTime() + config.connectTimeout().toNanos();
    for (int process = 0; process < config.processId(); process++) {
      connect(process, deadline);
    }
  }

  private void listen() {
    config.requireSecretBeyondLoopback();
    InetSocketAddress own = config.addressOf(config.processId());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(initializer());
    configure(bootstrap);
    ChannelFuture bound = bootstrap.bind(own.getHostString(), own.getPort()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new WaxException(
          "process "
              + config.processId()
              + " cannot listen on "
              + config.describe(config.processId())
              + ": "
              + bound.cause().getMessage());
    }
    server = bound.channel();
    channels.add(server);
  }

  private void connect(int process, long deadline) {
    InetSocketAddress address = config.addressOf(process);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .attr(TARGET, process)
            .attr(DEADLINE, deadline)
            .handler(initializer());
    bootstrap.option(ChannelOption.TCP_NODELAY, true);
    bootstrap.option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
    bootstrap
        .connect(address.getHostString(), address.getPort())
        .addListener(
            (ChannelFuture attempt) -> {
              if (attempt.isSuccess() || ready.isDone()) {
                return;
              }
              if (System.nanoTime() - deadline < 0) {
                retry(process, deadline);
              } else {
                ready.completeExceptionally(
                    new WaxException(
                        "process "
                            + config.processId()
                            + " could not reach process "
                            + process
                            + " at "
                            + config.describe(process)
                            + " within "
                            + config.connectTimeout().toSeconds()
                            + " s: "
                            + attempt.cause().getMessage()));
              }
            });
  }

  private void retry(int process, long deadline) {
    long delay = Math.min(LAST_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempts[process]++, 8));
    group.schedule(() -> connect(process, deadline), delay, TimeUnit.MILLISECONDS);
  }

  /** Sending up to 4 MB ahead of a slow peer; beyond that the sources here wait. */
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

  private void configure(ServerBootstrap bootstrap) {
    bootstrap.childOption(ChannelOption.TCP_NODELAY, true);
    bootstrap.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
  }

  private ChannelInitializer<SocketChannel> initializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        channels.add(channel);
        FrameDecoder decoder = new FrameDecoder();
        channel
            .pipeline()
            .addLast(
                new IdleStateHandler(
                    SILENCE_LIMIT.toMillis(), HEARTBEAT.toMillis(), 0, TimeUnit.MILLISECONDS))
            .addLast(decoder)
            .addLast(new LengthFieldPrepender(4))
            .addLast(new Peer(decoder));
      }
    };
  }

  @Override
  public void bind(Execution execution) {
    this.execution = execution;
  }

  @Override
  public void awaitReady() {
    try {
      // Connecting gives up at the timeout; a peer that accepts but never says hello must too.
      ready.get(config.connectTimeout().toMillis() + SILENCE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } catch (TimeoutException e) {
      throw new WaxException(
          "process "
              + config.processId()
              + " could not connect to every process within "
              + config.connectTimeout().toSeconds()
              + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WaxException("interrupted while connecting to the cluster");
    }
  }

  @Override
  public void send(int toWorker, int step, int fromWorker, Message message) {
    Channel channel = peers[toWorker / workersPerProcess];
    channel.write(withinLimit(Frames.message(channel.alloc(), toWorker, step, fromWorker, message), "a batch of items"));
  }

  @Override
  public void sendRecovery(int process, byte[] payload) {
    Channel channel = peers[process];
    channel.writeAndFlush(withinLimit(Frames.recovery(channel.alloc(), payload), "recovery bookkeeping"));
  }

  /** A frame the receiving side would refuse is an error here, where its sender is known. */
  private static ByteBuf withinLimit(ByteBuf frame, String what) {
    if (frame.readableBytes() > FrameDecoder.MAX_FRAME) {
      int size = frame.readableBytes();
      frame.release();
      throw new WaxException(what + " to send to another process takes " + size + " bytes, over the"
          + " cluster's limit of " + FrameDecoder.MAX_FRAME + " bytes per frame: use smaller batches or items");
    }
    return frame;
  }

  @Override
  public void flush() {
    for (Channel peer : peers) {
      if (peer != null) {
        peer.flush();
      }
    }
  }

  @Override
  public boolean congested() {
    for (Channel peer : peers) {
      if (peer != null && !peer.isWritable()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void setReading(int process, boolean reading) {
    Channel peer = peers[process];
    if (peer != null) {
      peer.config().setAutoRead(reading);
    }
  }

  @Override
  public void broadcastFailure(int worker, String message) {
    broadcast(alloc -> Frames.failure(alloc, worker, message));
  }

  @Override
  public void broadcastAbort() {
    broadcast(alloc -> Frames.signal(alloc, Frames.ABORT));
  }

  @Override
  public void finish() {
    broadcast(alloc -> Frames.signal(alloc, Frames.BYE));
    while (!allSaidBye() && !execution.isCutShort()) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean allSaidBye() {
    for (int process = 0; process < peers.length; process++) {
      if (process != config.processId() && saidBye.get(process) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Sends a frame to every connected process and waits (briefly) until it is written. */
  private void broadcast(Function<ByteBufAllocator, ByteBuf> frame) {
    for (Channel peer : peers) {
      if (peer != null && peer.isActive()) {
        peer.writeAndFlush(frame.apply(peer.alloc())).awaitUninterruptibly(1, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    // The listener first, so no connection is accepted after the others are closed.
    if (server != null) {
      server.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }

  private int firstWorkerOf(int process) {
    return process * workersPerProcess;
  }

  /**
   * One connection's inbound side: the handshake, then frames to the execution. The handshake:
   * the connecting side sends {@code CHALLENGE} with a fresh nonce; the accepting side answers
   * with its own nonce and a proof over both; the connecting side checks it and sends its HELLO
   * with a proof over both nonces and its fields; the accepting side checks that and replies
   * with its own proven HELLO. Only then does anything else get read.
   */
  private final class Peer extends SimpleChannelInboundHandler<ByteBuf> {
    private final FrameDecoder decoder;
    private final byte[] ownNonce = ClusterSecret.nonce();
    private byte[] theirNonce;
    /** The peer proved it knows the secret; its frames go to the execution. */
    private boolean member;

    Peer(FrameDecoder decoder) {
      this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (connected(ctx.channel())) {
        ctx.writeAndFlush(Frames.challenge(ctx.alloc(), ownNonce));
      }
    }

    /** Whether this process opened the connection (else it accepted it). */
    private boolean connected(Channel channel) {
      return channel.parent() == null;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      int size = frame.readableBytes();
      byte type = frame.readByte();
      if (!member) {
        handshake(ctx.channel(), type, frame);
        return;
      }
      try {
        deliver(ctx, type, frame);
      } catch (IndexOutOfBoundsException e) {
        throw new CorruptedFrameException("a frame of type " + type + " and " + size + " bytes, shorter than its fields say");
      }
    }

    private void deliver(ChannelHandlerContext ctx, byte type, ByteBuf frame) {
      switch (type) {
        case Frames.DATA, Frames.EPOCH_END, Frames.END -> {
          int to = frame.readInt();
          int step = frame.readInt();
          int from = frame.readInt();
          int sender = processOf(ctx.channel());
          if (to < 0 || to / workersPerProcess != config.processId() || from < 0
              || from / workersPerProcess != sender || step < 0) {
            throw new CorruptedFrameException("a frame from worker " + from + " for worker " + to + "'s step "
                + step + ", but process " + config.processId() + " runs workers " + firstWorkerOf(config.processId())
                + " to " + (firstWorkerOf(config.processId() + 1) - 1) + " and process " + sender + " runs "
                + firstWorkerOf(sender) + " to " + (firstWorkerOf(sender + 1) - 1));
          }
          execution.deliver(to, step, from, Frames.readMessage(type, frame));
        }
        case Frames.FAILURE -> {
          int worker = frame.readInt();
          String message = Frames.readText(frame);
          execution.failRemote(worker, "process " + processOf(ctx.channel()) + " failed: " + message);
        }
        case Frames.ABORT -> execution.abortRemote();
        case Frames.RECOVERY -> {
          byte[] payload = new byte[frame.readableBytes()];
          frame.readBytes(payload);
          execution.deliverRecovery(processOf(ctx.channel()), payload);
        }
        case Frames.BYE -> saidBye.set(processOf(ctx.channel()), 1);
        case Frames.PING -> {
          // Its arrival alone shows the peer is alive.
        }
        default -> throw new CorruptedFrameException("a frame of type " + type + " after the handshake");
      }
    }

    private void handshake(Channel channel, byte type, ByteBuf frame) {
      if (!connected(channel) && theirNonce == null && type == Frames.CHALLENGE
          && frame.readableBytes() == ClusterSecret.NONCE_LENGTH) {
        theirNonce = take(frame, ClusterSecret.NONCE_LENGTH);
        channel.writeAndFlush(
            Frames.answer(channel.alloc(), ownNonce, config.secret().proof(ANSWER_PROOF, theirNonce, ownNonce)));
      } else if (connected(channel) && theirNonce == null && type == Frames.ANSWER
          && frame.readableBytes() == ClusterSecret.NONCE_LENGTH + ClusterSecret.PROOF_LENGTH) {
        theirNonce = take(frame, ClusterSecret.NONCE_LENGTH);
        if (!config.secret().proves(take(frame, ClusterSecret.PROOF_LENGTH), ANSWER_PROOF, ownNonce, theirNonce)) {
          secretDiffers(channel);
          return;
        }
        byte[] fields = Frames.helloFields(config.processId(), config.processCount(), workersPerProcess, run);
        channel.writeAndFlush(Frames.hello(channel.alloc(), fields,
            config.secret().proof(CONNECTOR_HELLO_PROOF, theirNonce, ownNonce, fields)));
      } else if (theirNonce != null && type == Frames.HELLO
          && frame.readableBytes() == Frames.HELLO_FIELDS + ClusterSecret.PROOF_LENGTH) {
        byte[] fields = take(frame, Frames.HELLO_FIELDS);
        String purpose = connected(channel) ? ACCEPTOR_HELLO_PROOF : CONNECTOR_HELLO_PROOF;
        if (!config.secret().proves(take(frame, ClusterSecret.PROOF_LENGTH), purpose, ownNonce, theirNonce, fields)) {
          if (connected(channel)) {
            secretDiffers(channel);
          } else {
            refuse(channel, "it did not prove it knows the cluster's secret");
          }
          return;
        }
        member = true;
        decoder.admit();
        hello(channel, Unpooled.wrappedBuffer(fields));
      } else {
        refuse(channel, "it sent a frame of type " + type + " (" + (frame.readableBytes() + 1)
            + " bytes) where the handshake expects another");
      }
    }

    private byte[] take(ByteBuf frame, int length) {
      byte[] bytes = new byte[length];
      frame.readBytes(bytes);
      return bytes;
    }

    /** The process this one connected to answered with a proof of another secret. */
    private void secretDiffers(Channel channel) {
      int process = channel.attr(TARGET).get();
      ready.completeExceptionally(new WaxException(
          "process " + config.processId() + " cannot join process " + process + " at " + config.describe(process)
              + ": that process has another cluster secret; " + ClusterSecret.ENV + " (or the file "
              + ClusterSecret.FILE_ENV + " names) must be the same in every process"));
      channel.close();
    }

    /** A stranger, or a broken peer, before membership: it goes, the cluster goes on. */
    private void refuse(Channel channel, String why) {
      channel.close();
      long now = System.nanoTime();
      if (now - nextRefusalLog < 0) {
        unloggedRefusals++;
        return;
      }
      String more = unloggedRefusals == 0 ? "" : " (" + unloggedRefusals + " more refused since the last such line)";
      LOG.warn("process {} refused a connection from {}: {}{}", config.processId(), channel.remoteAddress(), why, more);
      nextRefusalLog = now + REFUSAL_LOG_INTERVAL.toNanos();
      unloggedRefusals = 0;
    }

    private void sayHello(Channel channel) {
      byte[] fields = Frames.helloFields(config.processId(), config.processCount(), workersPerProcess, run);
      channel.writeAndFlush(Frames.hello(channel.alloc(), fields,
          config.secret().proof(ACCEPTOR_HELLO_PROOF, theirNonce, ownNonce, fields)));
    }

    private void hello(Channel channel, ByteBuf frame) {
      int process = frame.readInt();
      int processCount = frame.readInt();
      int theirWorkers = frame.readInt();
      int theirRun = frame.readInt();
      if (theirRun != run) {
        // A process still finishing the previous run, or already on the next: it tries again.
        channel.close();
        return;
      }
      String problem = null;
      if (processCount != config.processCount()) {
        problem = "process " + process + " was given " + processCount + " addresses but process "
            + config.processId() + " was given " + config.processCount();
      } else if (theirWorkers != workersPerProcess) {
        problem = "process " + process + " runs " + theirWorkers + " workers but process "
            + config.processId() + " runs " + workersPerProcess + "; every process needs the same -w";
      } else if (process < 0 || process >= peers.length || process == config.processId() || peers[process] != null) {
        problem = "a process claiming id " + process + " connected to process " + config.processId()
            + "; each process needs its own -i";
      }
      if (problem != null) {
        ready.completeExceptionally(new WaxException(problem));
        channel.close();
        return;
      }
      channel.attr(PROCESS).set(process);
      if (!connected(channel)) {
        sayHello(channel);
      }
      synchronized (peers) {
        peers[process] = channel;
        for (int p = 0; p < peers.length; p++) {
          if (p != config.processId() && peers[p] == null) {
            return;
          }
        }
      }
      LOG.debug("process {} connected to all {} processes", config.processId(), peers.length);
      ready.complete(null);
    }

    private int processOf(Channel channel) {
      Integer process = channel.attr(PROCESS).get();
      return process == null ? -1 : process;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent idle) {
        if (idle.state() == IdleState.WRITER_IDLE) {
          if (member) {
            // (Before membership a PING would be a frame out of place.)
            ctx.writeAndFlush(Frames.signal(ctx.alloc(), Frames.PING));
          }
        } else if (idle.state() == IdleState.READER_IDLE && ctx.channel().config().isAutoRead()) {
          // (Silence while this side stopped reading, to let its workers catch up, is expected.)
          lost(ctx.channel(), "stopped responding for " + SILENCE_LIMIT.toSeconds() + " s");
          ctx.close();
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Integer target = ctx.channel().attr(TARGET).get();
      if (target != null && ctx.channel().attr(PROCESS).get() == null && !ready.isDone() && !closing) {
        // Closed before the handshake (e.g. a previous run's listener going away): try again.
        retry(target, ctx.channel().attr(DEADLINE).get());
        return;
      }
      lost(ctx.channel(), "closed its connection");
    }

    /**
     * A broken frame: before membership the connection is refused; from a member it fails the
     * run, naming the process (its data can no longer be trusted to be whole).
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof IOException) {
        // The connection broke (e.g. reset): its end is reported as the loss of its process.
        LOG.debug("connection error", cause);
        ctx.close();
        return;
      }
      Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
      String why = root instanceof CorruptedFrameException || root instanceof IllegalArgumentException
          ? root.getMessage() : root.toString();
      if (!member) {
        refuse(ctx.channel(), why);
        return;
      }
      int process = processOf(ctx.channel());
      LOG.debug("connection error", cause);
      if (!closing) {
        execution.failRemote(firstWorkerOf(process),
            "process " + process + " at " + config.describe(process) + " sent a broken frame: " + why);
      }
      ctx.close();
    }

    private void lost(Channel channel, String how) {
      int process = processOf(channel);
      if (process < 0 || closing || saidBye.get(process) == 1) {
        return;
      }
      execution.failRemote(
          firstWorkerOf(process),
          "lost process " + process + " at " + config.describe(process) + ": it " + how);
    }
  }
}
