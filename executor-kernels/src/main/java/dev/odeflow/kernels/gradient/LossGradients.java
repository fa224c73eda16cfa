package dev.odeflow.kernels.gradient;

/** Validation of the dL/dy rows handed to a backward pass. */
final class LossGradients {

    private LossGradients() {
    }

    static void check(double[][] dLdy, double[][] states) {
        if (dLdy == null || dLdy.length != states.length) {
            throw new IllegalArgumentException("need one loss-gradient row per observation time (" + states.length
                    + "), got " + (dLdy == null ? "none" : dLdy.length));
        }
        for (int k = 0; k < dLdy.length; k++) {
            if (dLdy[k] == null) {
                continue;
            }
            if (dLdy[k].length != states[k].length) {
                throw new IllegalArgumentException("loss gradient at time index " + k + " has length "
                        + dLdy[k].length + ", the state has " + states[k].length);
            }
            for (int i = 0; i < dLdy[k].length; i++) {
                if (!Double.isFinite(dLdy[k][i])) {
                    throw new IllegalArgumentException("loss gradient at time index " + k + " is " + dLdy[k][i]
                            + " at component " + i);
                }
            }
        }
    }
}
