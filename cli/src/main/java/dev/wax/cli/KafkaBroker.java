package dev.wax.cli;

import dev.wax.bridge.KafkaLogs;
import dev.wax.engine.WaxException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Apache Kafka broker in KRaft mode (its own controller), running in this JVM from
 * Kafka's own server classes, listening on loopback only: what {@code wax kafka broker} starts and
 * what the tests read from and write to.
 */
public final class KafkaBroker implements AutoCloseable {
  private final KafkaRaftServer server;
  private final int port;

  private KafkaBroker(KafkaRaftServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts a broker on {@code port} (0: any free port) keeping its data in {@code dir}, which is
   * formatted on first use and reused as it is afterwards. Returns once it accepts clients.
   */
  public static KafkaBroker start(Path dir, int port) {
    KafkaLogs.quiet();
    List<Integer> free = freePorts();
    int brokerPort = port == 0 ? free.get(0) : requireFree(port);
    int controllerPort = free.get(1);
    Path logs = dir.resolve("logs");
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logs.toString());
    // One node: every internal topic has one replica.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "4");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    try {
      Files.createDirectories(logs);
      if (!Files.exists(logs.resolve("meta.properties"))) {
        format(logs);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new WaxException("cannot prepare Kafka's data directory " + logs + ": " + e.getMessage());
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      server.shutdown();
      throw new WaxException("the Kafka broker could not start on port " + brokerPort + ": " + e.getMessage());
    }
    return new KafkaBroker(server, brokerPort);
  }

  private static void format(Path logs) throws Exception {
    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .addDirectory(logs.toString())
        .setControllerListenerName("CONTROLLER")
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .run();
  }

  /** {@code 127.0.0.1:port}, for clients' {@code bootstrap.servers}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Stops the broker and waits until it has. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  /** {@code port}, checked first: Kafka's own failure to bind logs a stack trace, then hangs up. */
  private static int requireFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return port;
    } catch (IOException e) {
      throw new WaxException(
          "cannot start the Kafka broker: port " + port + " on 127.0.0.1 is in use (pick another with --port)");
    }
  }

  /** Two free ports: one for clients (unless chosen), one for the controller. */
  private static List<Integer> freePorts() {
    try {
      return LoopbackAddresses.freePorts(2);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
