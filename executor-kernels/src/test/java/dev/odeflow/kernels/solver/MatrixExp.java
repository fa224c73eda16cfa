package dev.odeflow.kernels.solver;

/** exp(B t) by scaling and squaring of a Taylor series; a test oracle independent of the ODE solvers. */
final class MatrixExp {

    private MatrixExp() {
    }

    static double[][] expm(double[][] b, double t) {
        int n = b.length;
        double norm = 0;
        for (double[] row : b) {
            double s = 0;
            for (double v : row) {
                s += Math.abs(v * t);
            }
            norm = Math.max(norm, s);
        }
        int squarings = Math.max(0, (int) Math.ceil(Math.log(norm + 1e-300) / Math.log(2)) + 4);
        double scale = t / Math.pow(2, squarings);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = b[i][j] * scale;
            }
        }
        double[][] result = identity(n);
        double[][] term = identity(n);
        for (int k = 1; k <= 25; k++) {
            term = mul(term, a);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    term[i][j] /= k;
                    result[i][j] += term[i][j];
                }
            }
        }
        for (int s = 0; s < squarings; s++) {
            result = mul(result, result);
        }
        return result;
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    private static double[][] mul(double[][] x, double[][] y) {
        int n = x.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    out[i][j] += x[i][k] * y[k][j];
                }
            }
        }
        return out;
    }
}
