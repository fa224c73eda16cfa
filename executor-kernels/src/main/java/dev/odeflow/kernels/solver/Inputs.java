package dev.odeflow.kernels.solver;

/** Argument checks shared by the solver entry points: each failure names what is wrong and where. */
public final class Inputs {

    private Inputs() {
    }

    /** Checks that {@code v} has length {@code n} and only finite values. */
    public static void finiteVector(String what, double[] v, int n) {
        if (v == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (v.length != n) {
            throw new IllegalArgumentException(what + " has length " + v.length + ", expected " + n);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(what + " contains " + v[i] + " at index " + i);
            }
        }
    }

    /**
     * Checks observation times: at least two, finite, strictly monotone in one direction.
     *
     * @return +1 for forward time, -1 for reverse time
     */
    public static int timeDirection(double[] times) {
        if (times == null || times.length < 2) {
            throw new IllegalArgumentException("need at least two times (t0 and one observation time)");
        }
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i])) {
                throw new IllegalArgumentException("time " + i + " is " + times[i]);
            }
        }
        if (times[1] == times[0]) {
            throw new IllegalArgumentException("t1 == t0 == " + times[0] + ": the integration interval is empty");
        }
        int dir = times[1] > times[0] ? 1 : -1;
        for (int i = 1; i < times.length; i++) {
            if (dir * (times[i] - times[i - 1]) <= 0) {
                throw new IllegalArgumentException("observation times must be strictly "
                        + (dir > 0 ? "increasing" : "decreasing") + ": times[" + (i - 1) + "]=" + times[i - 1]
                        + ", times[" + i + "]=" + times[i]);
            }
        }
        return dir;
    }
}
