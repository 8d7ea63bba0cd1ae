package dev.wax.cli;

import dev.wax.engine.UsageException;
import dev.wax.engine.WaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place an unexpected Java exception becomes an exit status: a one-line message on stderr
 * (the stack trace only at debug level), never a bare stack trace.
 */
final class FailureHandler implements IExecutionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
    if (ex instanceof UsageException) {
      cli.getErr().println("wax: " + ex.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    if (ex instanceof WaxException) {
      // The run could not go on (e.g. a cluster could not form); the message says why.
      cli.getErr().println("wax: " + ex.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
    LOG.debug("wax failed", ex);
    cli.getErr().println("wax: internal error: " + ex);
    return CommandLine.ExitCode.SOFTWARE;
  }
}
