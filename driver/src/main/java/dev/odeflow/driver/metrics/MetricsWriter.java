package dev.odeflow.driver.metrics;

import dev.odeflow.driver.output.AtomicFiles;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Appends one JSON line per iteration to {@code metrics.jsonl}, flushing each line, so the file is always a
 * sequence of whole lines. A resumed run first keeps only the lines up to its checkpoint's iteration (rewritten
 * through a temporary file and an atomic rename), so iterations are never listed twice.
 */
public final class MetricsWriter implements Closeable {

    /** The file name inside the output directory. */
    public static final String FILE_NAME = "metrics.jsonl";
    private static final Pattern ITERATION = Pattern.compile("^\\{\"iteration\":(\\d+)[,}]");

    private final Path file;
    private final BufferedWriter out;

    private MetricsWriter(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Opens {@code dir/metrics.jsonl}: a fresh file when {@code keepUpTo} is negative, otherwise the existing
     * lines with iteration ≤ keepUpTo are kept and new lines are appended.
     */
    public static MetricsWriter open(Path dir, long keepUpTo) {
        Path file = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
            List<String> kept = new ArrayList<>();
            if (keepUpTo >= 0 && Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Matcher m = ITERATION.matcher(line);
                    if (m.find() && Long.parseLong(m.group(1)) <= keepUpTo) {
                        kept.add(line);
                    }
                }
            }
            StringBuilder text = new StringBuilder();
            for (String line : kept) {
                text.append(line).append('\n');
            }
            // A fresh file under a new name renamed over the old one: a planted link at either name is replaced,
            // never followed.
            AtomicFiles.writeFile(file, text.toString().getBytes(StandardCharsets.UTF_8));
            return new MetricsWriter(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one line and flushes it. */
    public void write(IterationMetrics m) {
        try {
            out.write(m.toJson());
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close metrics file " + file, e);
        }
    }
}
