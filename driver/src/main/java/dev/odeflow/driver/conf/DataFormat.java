package dev.odeflow.driver.conf;

import java.util.Locale;

/**
 * The storage format of a data source: a table, or (model.kind = classifier) a directory of MNIST's IDX files.
 */
public enum DataFormat {
    PARQUET, CSV, IDX;

    /** From the {@code data.format} value ({@code auto} looks at the path's extension). */
    public static DataFormat resolve(String setting, String path) {
        String s = setting == null ? "auto" : setting.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "parquet" -> PARQUET;
            case "csv" -> CSV;
            case "idx" -> IDX;
            case "auto" -> {
                String p = path.toLowerCase(Locale.ROOT);
                while (p.endsWith("/")) {
                    p = p.substring(0, p.length() - 1);
                }
                if (p.endsWith(".csv") || p.endsWith(".csv.gz")) {
                    yield CSV;
                }
                if (p.endsWith(".parquet") || p.endsWith(".pq")) {
                    yield PARQUET;
                }
                throw new IllegalArgumentException("cannot tell the format of '" + path
                        + "' from its extension; set data.format=parquet, csv or idx");
            }
            default -> throw new IllegalArgumentException("expected auto, parquet, csv or idx");
        };
    }
}
