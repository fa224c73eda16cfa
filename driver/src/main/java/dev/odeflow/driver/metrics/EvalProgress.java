package dev.odeflow.driver.metrics;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Progress of a cluster-wide evaluation on the driver's console: the tasks add the rows they have evaluated to
 * {@link #rows()} chunk by chunk; running tasks report it with every executor heartbeat
 * ({@code spark.executor.heartbeatInterval}, 10 s by default) and finished ones with their result, so the driver
 * can print rows done, the rate and an ETA every {@link #PERIOD_SECONDS} s while the evaluation runs (nothing for one
 * shorter than that). Listens only while open.
 */
public final class EvalProgress extends SparkListener implements AutoCloseable {

    public static final long PERIOD_SECONDS = 15;
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "odeflow-eval-progress");
        t.setDaemon(true);
        return t;
    });

    private final JavaSparkContext jsc;
    private final LongAccumulator rows;
    private final String label;
    private final long total;
    private final Consumer<String> console;
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private final AtomicLong finished = new AtomicLong();
    private final long start = System.nanoTime();
    private final java.util.concurrent.ScheduledFuture<?> tick;

    private EvalProgress(JavaSparkContext jsc, String label, long total, Consumer<String> console, long periodMillis) {
        this.jsc = jsc;
        this.rows = jsc.sc().longAccumulator("odeflow " + label + " rows");
        this.label = label;
        this.total = total;
        this.console = console;
        jsc.sc().addSparkListener(this);
        this.tick = TICKER.scheduleAtFixedRate(this::report, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts reporting the evaluation {@code label} of {@code total} rows every {@link #PERIOD_SECONDS} s. */
    public static EvalProgress start(JavaSparkContext jsc, String label, long total, Consumer<String> console) {
        return start(jsc, label, total, console, PERIOD_SECONDS * 1000);
    }

    /** As {@link #start(JavaSparkContext, String, long, Consumer)} with another period (tests). */
    static EvalProgress start(JavaSparkContext jsc, String label, long total, Consumer<String> console,
                              long periodMillis) {
        return new EvalProgress(jsc, label, total, console, periodMillis);
    }

    /** The accumulator the evaluation tasks add their rows to, chunk by chunk. */
    public LongAccumulator rows() {
        return rows;
    }

    /** Rows evaluated so far, as far as the driver has heard. */
    public long done() {
        long sum = finished.get();
        for (long r : running.values()) {
            sum += r;
        }
        return sum;
    }

    private void report() {
        console.accept(line(label, done(), total, (System.nanoTime() - start) * 1e-9));
    }

    /** {@code odeflow eval test: 41000/100000 rows (41%)  520 rows/s  eta 1m53s}. */
    public static String line(String label, long done, long total, double elapsed) {
        double rate = done / Math.max(elapsed, 1e-9);
        double eta = done == 0 ? Double.NaN : (total - done) / rate;
        return String.format(Locale.ROOT, "odeflow eval %s: %d/%d rows (%.0f%%)  %.0f rows/s  eta %s", label, done,
                total, 100.0 * done / Math.max(total, 1), rate, ProgressReporter.duration(eta));
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
                : CollectionConverters.asJava(update.accumUpdates())) {
            for (AccumulableInfo info : CollectionConverters.asJava(task._4())) {
                if (info.id() == rows.id() && info.update().isDefined()) {
                    running.put((Long) task._1(), ((Number) info.update().get()).longValue());
                }
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        long taskId = end.taskInfo().taskId();
        running.remove(taskId);
        if (!end.taskInfo().successful()) {
            return; // a retried task counts its rows again
        }
        for (AccumulableInfo info : CollectionConverters.asJava(end.taskInfo().accumulables())) {
            if (info.id() == rows.id() && info.update().isDefined()) {
                finished.addAndGet(((Number) info.update().get()).longValue());
            }
        }
    }

    @Override
    public void close() {
        tick.cancel(false);
        jsc.sc().removeSparkListener(this);
    }
}
