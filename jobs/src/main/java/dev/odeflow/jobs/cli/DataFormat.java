package dev.odeflow.jobs.cli;

import java.io.IOException;
import java.util.Locale;

/** The tabular file formats the CLI reads and writes. */
public enum DataFormat {
    CSV, PARQUET;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format named by {@code explicit} (csv or parquet) if given, else the one {@code location}'s extension
     * implies; a directory (on any Hadoop file system, listed with {@code conf}) is Parquet when it holds .parquet
     * files and CSV when it holds .csv part files.
     */
    public static DataFormat of(String location, String explicit, org.apache.hadoop.conf.Configuration conf) {
        if (explicit != null) {
            return switch (explicit.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "parquet" -> PARQUET;
                default -> throw new UsageException("unknown format '" + explicit + "'; expected csv or parquet");
            };
        }
        String name = location.replaceAll("/+$", "").toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return PARQUET;
        }
        if (conf != null) {
            try {
                org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(location);
                org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
                if (fs.exists(dir) && fs.getFileStatus(dir).isDirectory()) {
                    for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) {
                        String n = st.getPath().getName();
                        if (n.endsWith(".parquet")) {
                            return PARQUET;
                        }
                        if (n.startsWith("part-") && n.endsWith(".csv")) {
                            return CSV;
                        }
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new UsageException("cannot list " + location + ": " + e.getMessage());
            }
        }
        throw new UsageException("cannot tell the format of " + location
                + " from its name; use a .csv or .parquet name or pass --format csv|parquet");
    }
}
