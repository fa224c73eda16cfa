package dev.odeflow.jobs.cli;

import dev.odeflow.driver.output.OutputStore;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Reads CSV/Parquet input through Spark and writes results as one file, atomically. */
public final class DataFiles {

    private DataFiles() {
    }

    /** Reads a CSV (with a header line, types inferred) or Parquet file or directory. */
    public static Dataset<Row> read(SparkSession spark, Path path, DataFormat format) {
        if (!Files.exists(path)) {
            throw new UsageException("input " + path + " does not exist");
        }
        if (!Files.isReadable(path)) {
            throw new UsageException("input " + path + " is not readable");
        }
        String uri = path.toAbsolutePath().toUri().toString();
        return switch (format) {
            case CSV -> spark.read().option("header", "true").option("inferSchema", "true").csv(uri);
            case PARQUET -> spark.read().parquet(uri);
        };
    }

    /** The innermost IOException of a failed Spark write (a full disk, a read-only directory), or null. */
    static Throwable ioCause(Throwable e) {
        Throwable found = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof IOException) {
                found = t;
            }
        }
        return found;
    }

    /**
     * Writes {@code df} as a single CSV (with header) or Parquet file at {@code target}: Spark writes one part
     * into a temporary directory beside it, which is then renamed to {@code target}.
     */
    public static void writeSingleFile(Dataset<Row> df, Path target, DataFormat format) throws IOException {
        OutputStore.parentOf(target).checkWritable();
        Path parent = target.toAbsolutePath().normalize().getParent();
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + target + ": it is a directory");
        }
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            Files.delete(tmp);
            String uri = tmp.toUri().toString();
            var writer = df.coalesce(1).write().mode(SaveMode.ErrorIfExists);
            try {
                switch (format) {
                    case CSV -> writer.option("header", "true").csv(uri);
                    case PARQUET -> writer.parquet(uri);
                }
            } catch (Exception e) { // Spark's SparkException is checked but undeclared
                Throwable io = ioCause(e);
                if (io == null) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
                }
                throw new IOException("cannot write " + target + " (through " + tmp + "): " + io.getMessage(), e);
            }
            String suffix = format == DataFormat.CSV ? ".csv" : ".parquet";
            List<Path> parts;
            try (Stream<Path> s = Files.list(tmp)) {
                parts = s.filter(p -> p.getFileName().toString().startsWith("part-")
                        && p.getFileName().toString().endsWith(suffix)).toList();
            }
            if (parts.size() != 1) {
                throw new IOException("expected one " + suffix + " part file from Spark in " + tmp + ", found "
                        + parts.size());
            }
            Files.move(parts.get(0), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            OutputStore.local(parent).delete(tmp.getFileName().toString());
        }
    }
}
