package dev.wax.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wax kafka broker}: a Kafka broker to try and test Kafka flows on, nothing to install. */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = "Kafka tools.",
    subcommands = {KafkaCommand.Broker.class})
public final class KafkaCommand {
  private KafkaCommand() {}

  @Command(
      name = "broker",
      mixinStandardHelpOptions = true,
      description = {
        "Runs a single-node Apache Kafka broker (KRaft) on loopback until Ctrl-C.",
        "Without --dir its data lives in a temporary directory removed when it stops."
      })
  static final class Broker implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "19092", description = "Port for clients (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR", description = "Directory for the broker's data, kept between runs.")
    Path dir;

    @Override
    public Integer call() throws Exception {
      Path data = dir != null ? dir : Files.createTempDirectory("wax-kafka-");
      CountDownLatch stopped = new CountDownLatch(1);
      KafkaBroker broker;
      try {
        broker = KafkaBroker.start(data, port);
      } catch (RuntimeException e) {
        if (dir == null) {
          deleteTemporary(data);
        }
        throw e;
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    broker.close();
                    if (dir == null) {
                      deleteTemporary(data);
                    }
                    spec.commandLine().getOut().println("Kafka broker stopped");
                    spec.commandLine().getOut().flush();
                    stopped.countDown();
                  }));
      spec.commandLine().getOut().println("Kafka broker ready at localhost:" + broker.port() + " (data in " + data + ")");
      spec.commandLine().getOut().flush();
      stopped.await();
      return 0;
    }
  }

  private static void deleteTemporary(Path data) {
    try {
      Directories.deleteTree(data);
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }
}
