package dev.odeflow.jobs.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * {@code bench [key=value ...]}: runs the kernels' benchmark, {@code dev.odeflow.kernels.bench.BenchMain}. It is
 * looked up at run time so that a build without the benchmark still runs every other command.
 */
public final class BenchCommand {

    public static final String NAME = "bench";
    static final String MAIN_CLASS = "dev.odeflow.kernels.bench.BenchMain";

    private BenchCommand() {
    }

    public static void run(List<String> args) throws Exception {
        Method main;
        try {
            main = Class.forName(MAIN_CLASS).getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new UsageException("bench: " + MAIN_CLASS + " is not in this build");
        }
        try {
            main.invoke(null, (Object) args.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
