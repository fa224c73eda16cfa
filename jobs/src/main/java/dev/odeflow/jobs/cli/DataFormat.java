package dev.odeflow.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/** The tabular file formats the CLI reads and writes. */
public enum DataFormat {
    CSV, PARQUET;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format named by {@code explicit} (csv or parquet) if given, else the one {@code path}'s extension implies;
     * a directory is Parquet when it holds .parquet files.
     */
    public static DataFormat of(Path path, String explicit) {
        if (explicit != null) {
            return switch (explicit.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "parquet" -> PARQUET;
                default -> throw new UsageException("unknown format '" + explicit + "'; expected csv or parquet");
            };
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return PARQUET;
        }
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                if (s.anyMatch(p -> p.toString().endsWith(".parquet"))) {
                    return PARQUET;
                }
            } catch (IOException e) {
                throw new UsageException("cannot list " + path + ": " + e.getMessage());
            }
        }
        throw new UsageException("cannot tell the format of " + path
                + " from its name; use a .csv or .parquet name or pass --format csv|parquet");
    }
}
