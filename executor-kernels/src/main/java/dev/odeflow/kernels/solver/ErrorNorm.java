package dev.odeflow.kernels.solver;

/**
 * The scaled RMS norm of a local error estimate, sqrt(mean((e_i / (atol + rtol·max|y0_i|,|y1_i|))²)),
 * taken over the first {@code prefix} components only. A prefix shorter than the state is a seminorm:
 * the backsolve adjoint uses one to leave the parameter adjoint out of step-size control.
 */
public record ErrorNorm(int prefix) implements java.io.Serializable {

    /** The full RMS norm over every component. */
    public static final ErrorNorm RMS = new ErrorNorm(Integer.MAX_VALUE);

    public ErrorNorm {
        if (prefix <= 0) {
            throw new IllegalArgumentException("error norm prefix must be positive, got " + prefix);
        }
    }

    public double apply(double[] err, double[] y0, double[] y1, double rtol, double atol) {
        int m = Math.min(prefix, err.length);
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double scale = atol + rtol * Math.max(Math.abs(y0[i]), Math.abs(y1[i]));
            double r = err[i] / scale;
            sum += r * r;
        }
        return Math.sqrt(sum / m);
    }
}
