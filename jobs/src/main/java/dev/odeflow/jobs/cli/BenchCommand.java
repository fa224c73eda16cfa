package dev.odeflow.jobs.cli;

import dev.odeflow.kernels.bench.BenchMain;

import java.io.PrintStream;
import java.util.List;

/** {@code bench [key=value ...]}: the kernels' benchmark ({@link BenchMain}), one JSON line per batch size. */
public final class BenchCommand {

    public static final String NAME = "bench";

    private BenchCommand() {
    }

    public static void run(List<String> args, PrintStream out) {
        try {
            BenchMain.run(args.toArray(String[]::new), out);
        } catch (IllegalArgumentException e) {
            throw new UsageException("bench: " + e.getMessage());
        }
    }
}
