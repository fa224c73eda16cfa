package dev.odeflow.jobs.cli;

import dev.odeflow.driver.output.OutputStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.List;

/**
 * The CLI's tables on any Hadoop file system (a path on the default file system, or a {@code file:}, {@code hdfs:},
 * {@code s3a:} … URI): CSV (with a header line) or Parquet read through Spark, and results written by every
 * executor in parallel as a directory of part files, published into place atomically through the
 * {@link OutputStore} (a reader sees the old result or the complete new one). A single file is written only when
 * asked for, and only for at most {@link #MAX_SINGLE_FILE_ROWS} rows, since one task writes it.
 */
public final class DataFiles {

    /** Most rows a single-file output may have (one task writes them all). */
    public static final long MAX_SINGLE_FILE_ROWS = 10_000_000L;

    private DataFiles() {
    }

    /** What a write produced: the location, its part files (1 for a single file) and the rows. */
    public record Written(String location, int parts, long rows) {

        public String describe() {
            return rows + " rows to " + location + (parts == 1 ? "" : " (" + parts + " part files)");
        }
    }

    /** The store at a location given to a command (its flag names it in errors). */
    public static OutputStore store(SparkSession spark, String location, String flag) throws IOException {
        try {
            return OutputStore.at(location, spark.sparkContext().hadoopConfiguration());
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + ": " + e.getMessage());
        }
    }

    /** Reads a CSV (with a header line, types inferred) or Parquet file or directory. */
    public static Dataset<Row> read(SparkSession spark, String location, DataFormat format) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path p;
        try {
            p = new Path(location);
        } catch (IllegalArgumentException e) {
            throw new UsageException("input " + location + " is not a valid path or URI: " + e.getMessage());
        }
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new UsageException("input " + location + " does not exist");
        }
        try {
            fs.access(p, FsAction.READ);
        } catch (org.apache.hadoop.security.AccessControlException e) {
            throw new UsageException("input " + location + " is not readable");
        }
        String uri = fs.makeQualified(p).toString();
        return switch (format) {
            case CSV -> spark.read().option("header", "true").option("inferSchema", "true").csv(uri);
            case PARQUET -> spark.read().parquet(uri);
        };
    }

    /**
     * Writes {@code df} ({@code rows} rows) at {@code target}: a directory of part files written by every task in
     * parallel, or with {@code singleFile} one file (at most {@link #MAX_SINGLE_FILE_ROWS} rows). An existing
     * result of the same kind is replaced only once the new one is complete.
     */
    public static Written write(String command, SparkSession spark, Dataset<Row> df, String target,
                                DataFormat format, boolean singleFile, long rows) throws IOException {
        checkSingleFile(command, singleFile, rows);
        Path t;
        try {
            t = new Path(target);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --output " + target + " is not a valid path or URI: "
                    + e.getMessage());
        }
        if (t.getParent() == null || t.getName().isEmpty()) {
            throw new UsageException(command + ": --output " + target + " names no file or directory");
        }
        OutputStore parent = store(spark, t.getParent().toString(), command + ": --output");
        parent.checkWritable();
        String name = t.getName();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        parent.publish(name, fresh -> {
            if (!singleFile) {
                sparkWrite(df, fresh, format, target);
                return;
            }
            Path parts = new Path(fresh.getParent(), fresh.getName() + "-parts");
            FileSystem fs = parts.getFileSystem(conf);
            try {
                sparkWrite(df.coalesce(1), parts, format, target);
                List<Path> files = partFiles(fs, parts, format);
                if (files.size() != 1) {
                    throw new IOException("expected one part file from Spark in " + parts + ", found " + files.size());
                }
                if (!fs.rename(files.get(0), fresh)) {
                    throw new IOException("rename " + files.get(0) + " to " + fresh + " failed");
                }
            } finally {
                fs.delete(parts, true);
            }
        });
        int count = singleFile ? 1 : partFiles(parent.path(name).getFileSystem(conf), parent.path(name), format).size();
        return new Written(parent.path(name).toString(), count, rows);
    }

    /** Refuses a single-file output of more than {@link #MAX_SINGLE_FILE_ROWS} rows, naming the command. */
    public static void checkSingleFile(String command, boolean singleFile, long rows) {
        if (singleFile && rows > MAX_SINGLE_FILE_ROWS) {
            throw new UsageException(command + ": --single-file: " + rows + " rows are more than the "
                    + MAX_SINGLE_FILE_ROWS + " one task may write; leave it out to write a directory of part files"
                    + " in parallel");
        }
    }

    private static void sparkWrite(Dataset<Row> df, Path at, DataFormat format, String target) throws IOException {
        DataFrameWriter<Row> writer = df.write().mode(SaveMode.ErrorIfExists);
        try {
            switch (format) {
                case CSV -> writer.option("header", "true").csv(at.toString());
                case PARQUET -> writer.parquet(at.toString());
            }
        } catch (Exception e) { // Spark's SparkException is checked but undeclared
            Throwable io = ioCause(e);
            if (io == null) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
            }
            throw new IOException(io.getMessage() + " (Spark writing " + at + ")", e);
        }
    }

    private static List<Path> partFiles(FileSystem fs, Path dir, DataFormat format) throws IOException {
        String suffix = format == DataFormat.CSV ? ".csv" : ".parquet";
        List<Path> files = new java.util.ArrayList<>();
        for (FileStatus st : fs.listStatus(dir)) {
            String n = st.getPath().getName();
            if (st.isFile() && n.startsWith("part-") && n.endsWith(suffix)) {
                files.add(st.getPath());
            }
        }
        return files;
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
}
