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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Appends one JSON line per iteration to {@code metrics.jsonl}, each with a single write of the whole line; a
 * write that fails part-way (a full disk) is cut back to the last whole line, so the file is always a sequence of
 * whole lines. A resumed run first keeps only the lines up to its checkpoint's iteration (rewritten through a
 * temporary file and an atomic rename), so iterations are never listed twice; a torn last line left by a run that
 * died mid-write is dropped with a warning.
 */
public final class MetricsWriter implements Closeable {

    /** The file name inside the output directory. */
    public static final String FILE_NAME = "metrics.jsonl";
    private static final Pattern ITERATION = Pattern.compile("^\\{\"iteration\":(\\d+)[,}]");

    private static final Logger LOG = LoggerFactory.getLogger(MetricsWriter.class);

    private final Path file;
    private final FileChannel out;
    private long size;

    private MetricsWriter(Path file, FileChannel out) throws IOException {
        this.file = file;
        this.out = out;
        this.size = out.size();
        out.position(size);
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
                for (String line : wholeLines(file)) {
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
            OutputStore.local(dir).writeFile(FILE_NAME, text.toString().getBytes(StandardCharsets.UTF_8));
            return new MetricsWriter(file, FileChannel.open(file, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * The lines of a metrics file that end in a newline; a torn last line (a run died or the disk filled while it
     * was written) is left out with a warning naming the file.
     */
    public static List<String> wholeLines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n') + 1;
        if (end < text.length()) {
            LOG.warn("{}: dropped a torn last line ({} bytes without a newline, left by an interrupted write)", file,
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

    /** Appends one whole line (one write; cut back to the previous line if it fails part-way). */
    public void write(IterationMetrics m) {
        write(m.toJson());
    }

    void write(String json) {
        ByteBuffer line = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
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
