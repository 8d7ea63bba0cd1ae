package dev.wax.bridge;

import dev.wax.engine.Graph;
import dev.wax.engine.PeerFailedException;
import dev.wax.engine.ProcessEnv;
import dev.wax.engine.RunInterrupted;
import dev.wax.engine.Step;
import dev.wax.engine.UsageException;
import dev.wax.engine.UserCodeException;
import dev.wax.engine.WaxException;
import dev.wax.engine.cluster.ClusterConfig;
import dev.wax.engine.cluster.Mesh;
import dev.wax.engine.runtime.BatchCodec;
import dev.wax.engine.recovery.RecoveryException;
import dev.wax.engine.recovery.RecoveryStore;
import dev.wax.engine.runtime.Execution;
import dev.wax.engine.runtime.Recovery;
import dev.wax.engine.runtime.RunOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as Python's {@code bytewax._wax.engine} reaches it (polyglot binding {@value
 * #BINDING}): make graphs, run them. A run reports failure as data, {@code (kind, message,
 * cause)}, so the Python side raises the right exception type with the user's exception as
 * {@code __cause__}.
 */
public final class PyHost {
  static final String BINDING = "wax.host";
  private static final Logger LOG = LoggerFactory.getLogger(PyHost.class);

  private final String implementation;
  private final WorkerSlot slot;

  /**
   * @param slot the worker this Context runs when it is one of several Contexts running a flow
   *     together, or null when this Context runs flows on its own
   */
  PyHost(String implementation, WorkerSlot slot) {
    this.implementation = implementation;
    this.slot = slot;
  }

  @HostAccess.Export
  public PyGraph graph(String flowId) {
    return new PyGraph(flowId);
  }

  /** Kafka's Java client, for {@code bytewax.connectors.kafka}. */
  @HostAccess.Export
  public PyKafka kafka() {
    return new PyKafka();
  }

  /** Apache Avro for {@code bytewax.connectors.kafka.serde}: {@code schema} after {@code named}. */
  @HostAccess.Export
  public PyAvro avro(String schema, String[] named) {
    return PyAvro.parse(schema, named);
  }

  /** Runs {@code start}, which starts a child process; its process id (see {@link ChildProcesses}). */
  @HostAccess.Export
  public long spawnChild(Value start) {
    return ChildProcesses.spawn(start);
  }

  /** Sends signal {@code number} to process {@code pid}; null, else why it could not. */
  @HostAccess.Export
  public String signalProcess(long pid, int number) {
    return ChildProcesses.signal(pid, number);
  }

  /** Wax's cache folder ({@link WaxHome#cacheDir()}), for Python parts that keep files there. */
  @HostAccess.Export
  public String cacheDir() {
    return WaxHome.cacheDir().toString();
  }

  /** GraalPy's runtime: "GraalVM CE" when optimized, "Interpreted" otherwise. */
  @HostAccess.Export
  public String implementation() {
    return implementation;
  }

  /** {@code setup_tracing(log_level=...)}: ERROR, WARN, INFO, DEBUG or TRACE. */
  @HostAccess.Export
  public void logLevel(String level) {
    LogLevel.set(level);
  }

  /**
   * {@code setup_tracing}'s config: the spans of later runs go over OTLP to {@code url}
   * ({@code null}: Bytewax's default); {@code jaeger} for a {@code JaegerConfig}'s agent address.
   */
  @HostAccess.Export
  public void setupTracing(String serviceName, String url, double samplingRatio, boolean jaeger) {
    Tracing.setUp(serviceName, url, samplingRatio, jaeger);
  }

  /**
   * {@code init_db_dir}: creates {@code count} recovery partitions in the existing {@code dir}.
   *
   * @return null, or {@code [kind, message]} as {@link #run} reports failures
   */
  @HostAccess.Export
  public Object[] initRecovery(String dir, int count) {
    try {
      RecoveryStore.init(ProcessEnv.resolve(Path.of(dir)), count);
      return null;
    } catch (RecoveryException e) {
      return new Object[] {"recovery:" + e.kind(), e.getMessage()};
    }
  }

  /**
   * Runs a local test cluster: one process per command of {@code commands} (lists of strings),
   * sharing this process's standard streams. Ctrl-C reaches them all.
   *
   * @return {@code [highest exit status, whether Ctrl-C stopped them]}
   */
  @HostAccess.Export
  public Object[] spawnCluster(Value commands) throws IOException {
    List<List<String>> argvs = new ArrayList<>();
    for (long i = 0; i < commands.getArraySize(); i++) {
      argvs.add(Strings.of(commands.getArrayElement(i)));
    }
    LocalCluster.Outcome outcome = LocalCluster.run(argvs);
    return new Object[] {outcome.status(), outcome.interrupted()};
  }

  /**
   * Runs the graph on this thread: as this Context's worker of a shared run, else with {@code
   * workers} workers taking turns on this thread (so they may share Python objects), as process
   * {@code processId} of the cluster at {@code addresses} when there are any.
   *
   * @param codec {@code bytewax._wax.codec}, for items crossing to other Contexts or processes
   * @param addresses "host:port" of every process of the cluster, or empty
   * @param recoveryDir the recovery directory, or null to run without recovery
   * @param serde the recovery config's {@code snapshot_serde}, or None for pickle
   * @return null on success or when a source aborted, else {@code [kind, message, cause]} where
   *     kind is "user" (message null: re-raise cause as is), "usage", "peer" (another worker
   *     failed and reported it), "error" (the run could not go on, e.g. a process was lost),
   *     "recovery:KIND" (the recovery directory can't be used; {@link RecoveryException.Kind}),
   *     "interrupted" (Ctrl-C; see {@link CtrlC}) or "internal"
   */
  @HostAccess.Export
  public Object[] run(
      PyGraph graph,
      long epochIntervalMicros,
      int workers,
      Value codec,
      Value addresses,
      int processId,
      String recoveryDir,
      long backupIntervalMicros,
      Value serde,
      String dataflowJson,
      String dataflowMermaid,
      Value pythonMetrics) {
    DataflowApi[] api = new DataflowApi[1];
    try (CtrlC.Run run = CtrlC.run()) {
      RunOptions options =
          RunOptions.defaults()
              .withEpochInterval(Duration.ofNanos(epochIntervalMicros * 1_000))
              .withTracing(Tracing.current());
      Graph built = graph.build();
      List<String> cluster = Strings.of(addresses);
      Function<Execution, RunOptions> optionsFor = execution -> options;
      if (recoveryDir != null) {
        long backupEpochs =
            Recovery.backupEpochs(Duration.ofNanos(backupIntervalMicros * 1_000), options.epochInterval());
        PyStateCodec states = new PyStateCodec(codec, serde);
        optionsFor =
            execution ->
                options.withRecovery(
                    new Recovery(execution.openRecovery(ProcessEnv.resolve(Path.of(recoveryDir)), backupEpochs, built), states));
      }
      if (dataflowJson != null) {
        List<String> stepIds = built.steps().stream().map(Step::id).toList();
        DataflowApi.Flow shown = new DataflowApi.Flow(built.flowId(), dataflowJson, dataflowMermaid, stepIds);
        optionsFor = withDataflowApi(optionsFor, shown, pythonMetrics, api);
      }
      if (slot != null) {
        slot.run(built, optionsFor, new PyCodec(codec));
      } else {
        Execution execution =
            cluster.isEmpty()
                ? new Execution(workers)
                : Mesh.join(
                    ClusterConfig.fromEnvironment(cluster, processId),
                    workers,
                    0);
        CtrlC.watch(execution);
        BatchCodec batches = cluster.isEmpty() ? BatchCodec.SHARED : new PyCodec(codec);
        RunOptions runOptions;
        try {
          runOptions = optionsFor.apply(execution).withWorkers(workers);
        } catch (RuntimeException e) {
          // The other processes may be waiting to agree on recovery with this one: stop them.
          execution.fail(processId * workers, e);
          execution.finish();
          throw e;
        }
        execution.runCooperatively(built, runOptions, batches);
        String remote = execution.remoteFailure();
        if (remote != null) {
          return new Object[] {"error", remote, null};
        }
      }
      return null;
    } catch (RunInterrupted e) {
      return new Object[] {"interrupted", null, null};
    } catch (RecoveryException e) {
      return new Object[] {"recovery:" + e.kind(), e.getMessage(), null};
    } catch (PeerFailedException e) {
      return new Object[] {"peer", e.getMessage(), null};
    } catch (UserCodeException e) {
      return failure("user", e.getMessage(), e.getCause());
    } catch (UsageException e) {
      return new Object[] {"usage", e.getMessage(), null};
    } catch (PolyglotException e) {
      return failure("user", null, e);
    } catch (WaxException e) {
      return new Object[] {"error", e.getMessage(), null};
    } catch (RuntimeException e) {
      LOG.debug("internal error", e);
      return new Object[] {"internal", "internal error in Wax: " + e, null};
    } finally {
      if (api[0] != null) {
        api[0].leave();
      }
      Tracing.flush();
    }
  }

  /**
   * {@code optionsFor} with the run's dataflow API, which this worker joins (kept in {@code
   * joined} to leave it after the run): its steps record their metrics there, and the API asks
   * this Context's thread for its Python metrics.
   */
  private Function<Execution, RunOptions> withDataflowApi(
      Function<Execution, RunOptions> optionsFor, DataflowApi.Flow flow, Value pythonMetrics, DataflowApi[] joined) {
    return execution -> {
      RunOptions options = optionsFor.apply(execution);
      int worker = slot != null ? slot.index() : execution.firstLocal();
      joined[0] = DataflowApi.join(execution, flow, worker, () -> pythonMetrics.execute().asString());
      return options.withMetrics(joined[0].metrics());
    };
  }

  /** A failure whose cause is the Python exception, when it is one. */
  private static Object[] failure(String kind, String message, Throwable cause) {
    if (cause instanceof PolyglotException p
        && p.isGuestException()
        && !p.isExit()
        && p.getGuestObject() != null
        && p.getGuestObject().isException()) {
      return new Object[] {kind, message, p.getGuestObject()};
    }
    if (cause instanceof PolyglotException p && p.isExit()) {
      throw p;
    }
    LOG.debug("host exception in user step", cause);
    // Wax's own Java parts (the Kafka connector's) say what went wrong in an IllegalStateException.
    String why = cause instanceof IllegalStateException ? cause.getMessage() : cause.toString();
    return new Object[] {"error", (message == null ? "" : message + ": ") + why, null};
  }
}
