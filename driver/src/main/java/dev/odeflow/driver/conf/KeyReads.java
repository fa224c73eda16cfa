package dev.odeflow.driver.conf;

import java.util.function.Supplier;

/** Typed reads of {@link TrainKey}s from a {@link JobConf}, with errors that name the key and where it was set. */
final class KeyReads {

    private KeyReads() {
    }

    /** Runs {@code s}; an {@link IllegalArgumentException} becomes an error naming {@code key} and its origin. */
    static <T> T at(JobConf c, TrainKey key, Supplier<T> s) {
        try {
            return s.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw c.invalid(key.key(), e.getMessage());
        }
    }

    static String str(JobConf c, TrainKey k) {
        return c.getString(k.key(), k.defaultValue());
    }

    static double dbl(JobConf c, TrainKey k) {
        return c.getDouble(k.key(), k.defaultValue());
    }

    static int integer(JobConf c, TrainKey k) {
        return c.getInt(k.key(), k.defaultValue());
    }

    static long longValue(JobConf c, TrainKey k) {
        return c.getLong(k.key(), k.defaultValue());
    }

    static boolean bool(JobConf c, TrainKey k) {
        return c.getBoolean(k.key(), k.defaultValue());
    }

    static int nonNegative(JobConf c, TrainKey k) {
        int v = integer(c, k);
        if (v < 0) {
            throw c.invalid(k.key(), "must be >= 0");
        }
        return v;
    }

    static int atLeastOne(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("must be >= 1");
        }
        return v;
    }

    static long atLeastOne(long v) {
        if (v < 1) {
            throw new IllegalArgumentException("must be >= 1");
        }
        return v;
    }

    static double positive(double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("must be > 0 and finite");
        }
        return v;
    }
}
