package dev.odeflow.driver.conf;

import java.io.Serializable;

/** Train, validation and test fractions of the data; they sum to 1. */
public record Splits(double train, double val, double test) implements Serializable {

    public Splits {
        if (!(train > 0) || !(val >= 0) || !(test >= 0) || Math.abs(train + val + test - 1) > 1e-9) {
            throw new IllegalArgumentException("splits must be train > 0, val >= 0, test >= 0 summing to 1, got "
                    + train + "," + val + "," + test);
        }
    }

    public double[] asArray() {
        return new double[] {train, val, test};
    }
}
