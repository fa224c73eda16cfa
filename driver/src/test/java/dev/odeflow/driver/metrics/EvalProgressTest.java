package dev.odeflow.driver.metrics;

import dev.odeflow.driver.SparkTestSession;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 8, item 4: the final evaluation reports rows done while its tasks are still running. */
class EvalProgressTest {

    @Test
    void theLineGivesRowsRateAndEta() {
        assertEquals("odeflow eval test: 41000/100000 rows (41%)  500 rows/s  eta 1m58s",
                EvalProgress.line("test", 41000, 100000, 82));
        assertEquals("odeflow eval validation: 0/10 rows (0%)  0 rows/s  eta ?",
                EvalProgress.line("validation", 0, 10, 3));
    }

    @Test
    void runningTasksReportTheirRowsBeforeTheyFinish() throws Exception {
        JavaSparkContext jsc = SparkTestSession.jsc();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (EvalProgress progress = EvalProgress.start(jsc, "test", 4, lines::add, 100)) {
            LongAccumulator rows = progress.rows();
            // one task of four 400 ms chunks: a count between 0 and 4 can only come from its heartbeats (every
            // 200 ms, SparkTestSession), since a finished task reports all 4
            jsc.parallelize(List.of(0), 1).foreach(i -> {
                for (int k = 0; k < 4; k++) {
                    Thread.sleep(400);
                    rows.add(1);
                }
            });
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (progress.done() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20); // the listener bus delivers the task ends asynchronously
            }
            assertEquals(4, progress.done(), "the finished task's rows");
        }
        Pattern p = Pattern.compile("^odeflow eval test: (\\d+)/4 rows");
        boolean partial = false;
        synchronized (lines) {
            for (String l : lines) {
                Matcher m = p.matcher(l);
                assertTrue(m.find(), l);
                long done = Long.parseLong(m.group(1));
                partial |= done > 0 && done < 4;
            }
        }
        assertTrue(partial, "a line while the task ran, with some but not all rows: " + lines);
    }
}
