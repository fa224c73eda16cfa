package dev.odeflow.jobs;

import dev.odeflow.jobs.cli.BenchCommand;
import dev.odeflow.jobs.cli.ClassifyCommand;
import dev.odeflow.jobs.cli.GradCommand;
import dev.odeflow.jobs.cli.PredictCommand;
import dev.odeflow.jobs.cli.SampleCommand;
import dev.odeflow.jobs.cli.ScoreCommand;
import dev.odeflow.jobs.cli.UsageException;
import dev.odeflow.jobs.cli.TrainCommand;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code odeflow <command> ...}: the command-line entry point. Exit codes: 0 success, 1 failure, 2 usage. On
 * success {@link #main} returns normally; under spark-submit a failure is thrown, elsewhere it exits with the code.
 */
public final class OdeflowCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: odeflow [--debug] <command> [arguments]

            commands:
              train <job.conf> [key=value ...]
                  train a model (model.kind: cnf, trajectory, latent_ode or classifier); writes a model
                  directory, metrics, summary.json and (for 2-D data) pictures
              score --model DIR --input FILE --output FILE [--columns a,b] [--format csv|parquet]
                    [--output-format csv|parquet] [--nan fail|drop]
                  write the input with a log_likelihood column
              sample --model DIR --n N --output FILE [--seed S] [--format csv|parquet]
                  draw N samples from the model
              predict --model DIR --input FILE --output FILE [--times LIST] [--format csv|parquet]
                      [--output-format csv|parquet] [--single-file]
                  predict each series of a trajectory model's long table from its first observation, at its
                  own times or at --times (0,0.5,1 or start:stop:count); columns series, time, pred_<column>
              classify --model DIR --input PATH --output PATH [--format parquet|idx] [--single-file]
                  classify images with an image classifier: a Parquet table gains prediction and
                  probabilities columns; IDX input (a directory: its t10k files, or an images file) gives
                  rows of index, label (when labelled), prediction and probabilities; writes Parquet
              grad --model DIR --input FILE [--columns a,b] [key=value ...]
                  print {"loss", "gradients", "nfe"} as JSON; keys as in job files: solver.method,
                  solver.rtol, solver.atol, solver.steps, step_size, gradient (adjoint|checkpoint|direct),
                  model.divergence, adjoint.rtol, adjoint.atol, adjoint.seminorm, backend, seed;
                  an image classifier reads labelled IDX images (an images file, or a directory's training
                  files) and takes --limit N (the first N images)
              bench [key=value ...]
                  run the kernel benchmarks
              help
                  print this text

            --debug prints stack traces (and Spark's) with errors; so does -Dodeflow.stacktrace=true.
            """;

    /** The flag, before the command, that turns on stack traces. */
    public static final String DEBUG_FLAG = "--debug";
    /** The system property that turns on stack traces (set by {@link #DEBUG_FLAG}). */
    public static final String DEBUG_PROPERTY = "odeflow.stacktrace";
    /** Read by conf/log4j2.properties: how much of an exception a log line shows (short, or full when debugging). */
    static final String LOG_EXCEPTIONS_PROPERTY = "odeflow.log.exceptions";

    private OdeflowCli() {
    }

    public static void main(String[] args) {
        if (System.getProperty("io.netty.tryReflectionSetAccessible") == null) {
            System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        }
        // Before any logger exists: log lines (Spark's included) show stack traces only when debugging.
        boolean debug = args.length > 0 && args[0].equals(DEBUG_FLAG) || Boolean.getBoolean(DEBUG_PROPERTY);
        if (System.getProperty(LOG_EXCEPTIONS_PROPERTY) == null) {
            System.setProperty(LOG_EXCEPTIONS_PROPERTY, debug ? "full" : "short");
        }
        int code = run(args, System.out, System.err);
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        if (code == OK) {
            return; // never System.exit(0): YARN's ApplicationMaster reports user code that exits as FAILED
        }
        if (System.getProperty("spark.submit.deployMode") != null) {
            // Under spark-submit a failure is an exception out of main: the cluster manager marks the application
            // FAILED and spark-submit exits non-zero. The one-line error is already on stderr.
            throw new CommandFailedException(args.length == 0 ? "odeflow" : "odeflow " + args[0], code);
        }
        System.exit(code);
    }

    /** A command that failed under spark-submit; its message names the command and the exit code it would have. */
    public static final class CommandFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandFailedException(String command, int code) {
            super(command + " failed (exit code " + code + "); the error is printed above", null, false, false);
        }
    }

    /** Runs one command and returns its exit code; never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = Boolean.getBoolean(DEBUG_PROPERTY);
        if (args.length > 0 && args[0].equals(DEBUG_FLAG)) {
            debug = true;
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        if (args.length == 0) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String command = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            String help = commandHelp(command);
            if (help != null) {
                out.print(help);
                return OK;
            }
        }
        try {
            switch (command) {
                case "train" -> TrainCommand.run(rest, out, err);
                case ScoreCommand.NAME -> ScoreCommand.run(rest, out, err);
                case SampleCommand.NAME -> SampleCommand.run(rest, out);
                case PredictCommand.NAME -> PredictCommand.run(rest, out);
                case ClassifyCommand.NAME -> ClassifyCommand.run(rest, out);
                case GradCommand.NAME -> GradCommand.run(rest, out);
                case BenchCommand.NAME -> BenchCommand.run(rest, out);
                case "help", "-h", "--help" -> out.print(USAGE_TEXT);
                default -> throw new UsageException("unknown command '" + command
                        + "'; expected train, score, sample, predict, classify, grad, bench or help");
            }
            return OK;
        } catch (UsageException e) {
            err.println("odeflow: " + e.getMessage());
            err.println("run 'odeflow help' for usage");
            return USAGE;
        } catch (Exception e) {
            err.println("odeflow " + command + ": " + describe(e)
                    + (debug || dev.odeflow.jobs.cli.ErrorMessages.expected(e) ? "" : " (rerun with odeflow --debug for the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return FAILED;
        }
    }

    /**
     * The usage of one command ({@code odeflow <command> --help}): its lines of {@link #USAGE_TEXT}, or null for
     * an unknown command.
     */
    static String commandHelp(String command) {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String line : USAGE_TEXT.split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("    ")) {
                in = line.strip().equals(command) || line.strip().startsWith(command + " ");
            } else if (!line.startsWith("    ")) {
                in = false;
            }
            if (in) {
                b.append(line.substring(2)).append('\n');
            }
        }
        if (b.length() == 0) {
            return null;
        }
        return "usage: odeflow " + b + "exit codes: 0 success, 1 the command failed, 2 the command line is wrong\n";
    }

    /** The one-line form of a failure ({@link dev.odeflow.jobs.cli.ErrorMessages}). */
    static String describe(Throwable e) {
        return dev.odeflow.jobs.cli.ErrorMessages.describe(e);
    }
}
