package dev.odeflow.driver.conf;

import java.util.Locale;

/**
 * Rows in the train, validation and test splits, and the check that they are usable: every split with a
 * fraction above 0 needs a row, and the training split needs at least {@code batch_size} rows (a minibatch
 * never repeats a row).
 *
 * @param train rows in the training split
 * @param val   rows in the validation split
 * @param test  rows in the test split
 */
public record SplitSizes(long train, long val, long test) {

    public SplitSizes {
        if (train < 0 || val < 0 || test < 0) {
            throw new IllegalArgumentException("row counts must be >= 0");
        }
    }

    /** How a toy generator's {@code n} samples are cut (rounded train and validation, the rest for test). */
    public static SplitSizes ofToy(int n, Splits s) {
        int nTrain = (int) Math.round(n * s.train());
        int nVal = Math.min(n - nTrain, (int) Math.round(n * s.val()));
        return new SplitSizes(nTrain, nVal, n - nTrain - nVal);
    }

    public long total() {
        return train + val + test;
    }

    /** Whether the training split, or a split with a fraction above 0, has no rows. */
    public boolean hasEmptySplit(Splits s) {
        return train == 0 || s.val() > 0 && val == 0 || s.test() > 0 && test == 0;
    }

    /**
     * Fails with a one-line message naming {@code source}, the row counts, {@code data.splits} and
     * {@code batch_size} when a split that should have rows is empty or the batch is larger than the training split.
     */
    public void check(Splits s, int batchSize, String source) {
        String counts = String.format(Locale.ROOT, "%d rows: %d train, %d validation, %d test with data.splits=%s",
                total(), train, val, test, fractions(s));
        if (train == 0) {
            throw new IllegalArgumentException(source + ": the training split is empty (" + counts
                    + "); give more rows" + (source.startsWith("toy:") ? " (data.n)" : ""));
        }
        if (s.val() > 0 && val == 0) {
            throw new IllegalArgumentException(source + ": the validation split is empty (" + counts
                    + "); give more rows or set its fraction to 0 in data.splits");
        }
        if (s.test() > 0 && test == 0) {
            throw new IllegalArgumentException(source + ": the test split is empty (" + counts
                    + "); give more rows or set its fraction to 0 in data.splits");
        }
        if (batchSize > train) {
            throw new IllegalArgumentException(source + ": batch_size=" + batchSize + " is larger than the training"
                    + " split (" + counts + "); set batch_size to at most " + train + " or give more rows");
        }
    }

    private static String fractions(Splits s) {
        return fmt(s.train()) + "," + fmt(s.val()) + "," + fmt(s.test());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
