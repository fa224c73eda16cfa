package dev.odeflow.kernels.solver;

/**
 * Interpolation inside an accepted step [t, t + h]: dopri5's 4th-order interpolant through its midpoint
 * estimate, and cubic Hermite from the end values and slopes for every other method.
 */
final class DenseOutput {

    private DenseOutput() {
    }

    /** Cubic Hermite through (y0, f0) and (y1, f1) at fraction x of the step. */
    static void hermite(double x, double h, double[] y0, double[] f0, double[] y1, double[] f1, double[] out) {
        double x2 = x * x;
        double x3 = x2 * x;
        double h00 = 2 * x3 - 3 * x2 + 1;
        double h10 = x3 - 2 * x2 + x;
        double h01 = -2 * x3 + 3 * x2;
        double h11 = x3 - x2;
        for (int i = 0; i < out.length; i++) {
            out[i] = h00 * y0[i] + h10 * h * f0[i] + h01 * y1[i] + h11 * h * f1[i];
        }
    }

    /**
     * dopri5's quartic through y0, y_mid, y1 with slopes f0 = k[0] and f1 = k[6] at fraction x
     * (torchdiffeq's _interp_fit / _interp_evaluate).
     */
    static void dopri5(double x, double h, double[] y0, double[][] k, double[] y1, double[] out) {
        double[] cm = Method.DOPRI5_MID;
        double[] f0 = k[0];
        double[] f1 = k[6];
        for (int i = 0; i < out.length; i++) {
            double ym = y0[i];
            for (int j = 0; j < cm.length; j++) {
                ym += h * cm[j] * k[j][i];
            }
            double a = 2 * h * (f1[i] - f0[i]) - 8 * (y1[i] + y0[i]) + 16 * ym;
            double b = h * (5 * f0[i] - 3 * f1[i]) + 18 * y0[i] + 14 * y1[i] - 32 * ym;
            double c = h * (f1[i] - 4 * f0[i]) - 11 * y0[i] - 5 * y1[i] + 16 * ym;
            double d = h * f0[i];
            out[i] = y0[i] + x * (d + x * (c + x * (b + x * a)));
        }
    }
}
