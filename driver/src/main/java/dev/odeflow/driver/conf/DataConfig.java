package dev.odeflow.driver.conf;

import java.io.Serializable;
import java.util.List;

/**
 * Where the data comes from and how it is prepared.
 *
 * @param toyName     the toy generator's name, or null for a table
 * @param path        the table's path, or null for a toy
 * @param format      the table's format (null for a toy)
 * @param columns     the table's columns to model; empty = all
 * @param toySamples  samples drawn from a toy generator
 * @param splits      train/validation/test fractions
 * @param nanPolicy   rows with NaN or missing values
 * @param standardize whether to standardize with the training split's statistics
 */
public record DataConfig(String toyName, String path, DataFormat format, List<String> columns, int toySamples,
                         Splits splits, NanPolicy nanPolicy, boolean standardize) implements Serializable {

    public DataConfig {
        if ((toyName == null) == (path == null)) {
            throw new IllegalArgumentException("exactly one of a toy generator and a table path is required");
        }
        if (path != null && format == null) {
            throw new IllegalArgumentException("a table needs a format");
        }
        if (toyName != null && toySamples < 1) {
            throw new IllegalArgumentException("toy samples must be >= 1, got " + toySamples);
        }
        columns = List.copyOf(columns);
        if (splits == null || nanPolicy == null) {
            throw new IllegalArgumentException("splits and NaN policy are required");
        }
    }

    /** A toy source. */
    public static DataConfig toy(String name, int n, Splits splits) {
        return new DataConfig(name, null, null, List.of(), n, splits, NanPolicy.FAIL, false);
    }

    public boolean isToy() {
        return toyName != null;
    }

    /** A human-readable name of the source: {@code toy:8gaussians} or the path. */
    public String describe() {
        return isToy() ? "toy:" + toyName : path;
    }
}
