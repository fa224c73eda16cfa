package dev.odeflow.kernels.nn;

/** What the layers' passes share: argument checks and the small reshuffles around the products. */
final class Layers {

    private Layers() {
    }

    static void checkPass(double[] theta, int offset, int size, int n) {
        if (theta == null || offset < 0 || theta.length < offset + size) {
            throw new IllegalArgumentException("parameter vector of " + (theta == null ? 0 : theta.length)
                    + " entries has no room for " + size + " parameters at " + offset);
        }
        if (n < 1) {
            throw new IllegalArgumentException("need at least one example, got " + n);
        }
    }

    /** The transpose (cols×rows) of a rows×cols matrix. */
    static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    /** g[at + c·rows + r] += m[r·cols + c]: adds the transpose of a rows×cols matrix. */
    static void addTransposed(double[] m, int rows, int cols, double[] g, int at) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                g[at + c * rows + r] += m[r * cols + c];
            }
        }
    }

    /** g[at + c] += Σ_r m[r·cols + c], each column's sum from 0 in ascending r (read row by row). */
    static void addColumnSums(double[] m, int rows, int cols, double[] g, int at) {
        double[] s = new double[cols];
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            for (int c = 0; c < cols; c++) {
                s[c] += m[row + c];
            }
        }
        for (int c = 0; c < cols; c++) {
            g[at + c] += s[c];
        }
    }
}
