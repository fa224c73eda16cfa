package dev.odeflow.driver.metrics;

import dev.odeflow.driver.output.OutputStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one JSON line per iteration to {@code metrics.jsonl} in the run's {@link OutputStore}, so that a reader
 * always sees a sequence of whole lines:
 * <ul>
 *   <li>on a local disk each line is appended with one write of the whole line; a write that fails part-way (a
 *       full disk) is cut back to the last whole line, and {@code tail -f} follows the run;</li>
 *   <li>on any other file system (HDFS, object stores, where appends are missing or not visible until close) the
 *       whole file is rewritten atomically through the store at most every {@value #REWRITE_SECONDS} s and at the
 *       end, so a reader lags by at most that.</li>
 * </ul>
 * A resumed run first keeps only the lines up to its checkpoint's iteration (rewritten atomically), so iterations
 * are never listed twice; a torn last line left by a run that died mid-write is dropped with a warning.
 */
public final class MetricsWriter implements Closeable {

    /** The file name inside the output directory. */
    public static final String FILE_NAME = "metrics.jsonl";
    /** Longest delay between a line and its appearance on a file system without appends. */
    public static final long REWRITE_SECONDS = 10;
    /** A metrics file read back at resume is a line per iteration; a larger one is not one. */
    static final long MAX_BYTES = 512L * 1024 * 1024;
    private static final Pattern ITERATION = Pattern.compile("^\\{\"iteration\":(\\d+)[,}]");

    private static final Logger LOG = LoggerFactory.getLogger(MetricsWriter.class);

    /** Where the lines go. */
    private interface Sink extends Closeable {
        void append(String line) throws IOException;
    }

    private final String file;
    private final Sink sink;

    private MetricsWriter(String file, Sink sink) {
        this.file = file;
        this.sink = sink;
    }

    /**
     * Opens {@code metrics.jsonl} in {@code dir}: a fresh file when {@code keepUpTo} is negative, otherwise the
     * existing lines with iteration ≤ keepUpTo are kept and new lines are added after them.
     */
    public static MetricsWriter open(OutputStore dir, long keepUpTo) {
        String file = dir.path(FILE_NAME).toString();
        try {
            StringBuilder text = new StringBuilder();
            if (keepUpTo >= 0 && dir.isFile(FILE_NAME)) {
                String old = new String(dir.readFile(FILE_NAME, MAX_BYTES), StandardCharsets.UTF_8);
                for (String line : wholeLines(old, file)) {
                    Matcher m = ITERATION.matcher(line);
                    if (m.find() && Long.parseLong(m.group(1)) <= keepUpTo) {
                        text.append(line).append('\n');
                    }
                }
            }
            // A fresh file under a new name renamed over the old one: a planted link at either name is replaced,
            // never followed.
            dir.writeFile(FILE_NAME, text.toString().getBytes(StandardCharsets.UTF_8));
            Optional<Path> local = dir.localPath();
            Sink sink = local.isPresent() ? new LocalAppend(local.get().resolve(FILE_NAME))
                    : new PeriodicRewrite(dir, text);
            return new MetricsWriter(file, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's location (a path or URI). */
    public String file() {
        return file;
    }

    /**
     * The lines of a metrics file's text that end in a newline; a torn last line (a run died or the disk filled
     * while it was written) is left out with a warning naming {@code source}.
     */
    public static List<String> wholeLines(String text, String source) {
        int end = text.lastIndexOf('\n') + 1;
        if (end < text.length()) {
            LOG.warn("{}: dropped a torn last line ({} bytes without a newline, left by an interrupted write)", source,
                    text.length() - end);
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.substring(0, end).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Adds one whole line. */
    public void write(IterationMetrics m) {
        write(m.toJson());
    }

    void write(String json) {
        try {
            sink.append(json + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            sink.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A local file: one write per line, cut back to the previous line if it fails part-way. */
    private static final class LocalAppend implements Sink {
        private final FileChannel out;
        private long size;

        LocalAppend(Path file) throws IOException {
            out = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            size = out.size();
            out.position(size);
        }

        @Override
        public void append(String text) throws IOException {
            ByteBuffer line = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            try {
                while (line.hasRemaining()) {
                    out.write(line);
                }
                size = out.position();
            } catch (IOException e) {
                try {
                    out.truncate(size);
                    out.position(size);
                } catch (IOException ignored) {
                    // the first error is the one to report
                }
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Any other file system: the whole text rewritten atomically when due and at the end. */
    private static final class PeriodicRewrite implements Sink {
        private final OutputStore dir;
        private final StringBuilder text;
        private long written = System.nanoTime();
        private boolean dirty;

        PeriodicRewrite(OutputStore dir, StringBuilder text) {
            this.dir = dir;
            this.text = text;
        }

        @Override
        public void append(String line) throws IOException {
            text.append(line);
            dirty = true;
            if (System.nanoTime() - written >= REWRITE_SECONDS * 1_000_000_000L) {
                flush();
            }
        }

        private void flush() throws IOException {
            dir.writeFile(FILE_NAME, text.toString().getBytes(StandardCharsets.UTF_8));
            written = System.nanoTime();
            dirty = false;
        }

        @Override
        public void close() throws IOException {
            if (dirty) {
                flush();
            }
        }
    }
}
