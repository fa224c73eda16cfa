package dev.odeflow.kernels.solver;

import java.util.Arrays;

/**
 * An explicit Runge–Kutta method as data: nodes {@code c}, the strictly lower-triangular matrix {@code a},
 * weights {@code b} of the propagated solution and, for embedded pairs, {@code error = b - bHat}.
 * The constructor validates consistency and the order conditions up to order 4, so a typo in a
 * coefficient fails at class-load time rather than as a silently wrong solver.
 *
 * @param name       method name
 * @param c          nodes, c[0] = 0
 * @param a          a[s] has length s (strictly lower triangular)
 * @param b          propagation weights
 * @param error      b - bHat, or null for methods without an error estimate
 * @param order      order of the propagated solution
 * @param errorOrder order of the embedded solution (0 if none)
 * @param fsal       first-same-as-last: the last stage equals f(t + h, y1)
 */
public record ButcherTableau(String name, double[] c, double[][] a, double[] b, double[] error,
                             int order, int errorOrder, boolean fsal) {

    private static final double TOL = 1e-12;

    public ButcherTableau {
        int s = c.length;
        require(s > 0 && a.length == s && b.length == s, "stage counts of c, a and b differ");
        require(error == null || error.length == s, "error weights have the wrong length");
        require(c[0] == 0.0, "c[0] must be 0 for an explicit method");
        for (int i = 0; i < s; i++) {
            require(a[i].length == i, "a must be strictly lower triangular (row " + i + ")");
            require(Math.abs(sum(a[i]) - c[i]) < TOL, "row " + i + " of a does not sum to c[" + i + "]");
        }
        require(Math.abs(sum(b) - 1) < TOL, "weights b do not sum to 1");
        if (error != null) {
            require(Math.abs(sum(error)) < TOL, "error weights do not sum to 0");
        }
        if (fsal) {
            require(c[s - 1] == 1.0 && b[s - 1] == 0.0, "FSAL needs c_last = 1 and b_last = 0");
            for (int j = 0; j < s - 1; j++) {
                require(Math.abs(a[s - 1][j] - b[j]) < TOL, "FSAL needs the last row of a to equal b");
            }
        }
        checkOrder(name, c, a, b, Math.min(order, 4));
        if (error != null) {
            double[] bHat = new double[s];
            for (int i = 0; i < s; i++) {
                bHat[i] = b[i] - error[i];
            }
            checkOrder(name + " (embedded)", c, a, bHat, Math.min(errorOrder, 4));
        }
        c = c.clone();
        b = b.clone();
        error = error == null ? null : error.clone();
        a = Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
    }

    /** Number of stages. */
    public int stages() {
        return c.length;
    }

    /** Whether the method has an embedded error estimate, i.e. supports adaptive stepping. */
    public boolean adaptive() {
        return error != null;
    }

    public double c(int i) {
        return c[i];
    }

    public double a(int i, int j) {
        return a[i][j];
    }

    public double b(int i) {
        return b[i];
    }

    public double error(int i) {
        return error[i];
    }

    /**
     * Stages whose value reaches the propagated solution y1, directly through b or through later live
     * stages. A dead stage (dopri5's FSAL stage) needs no reverse-mode work in a discrete adjoint.
     */
    public boolean[] liveStages() {
        int s = stages();
        boolean[] live = new boolean[s];
        for (int i = s - 1; i >= 0; i--) {
            live[i] = b[i] != 0.0;
            for (int r = i + 1; r < s && !live[i]; r++) {
                live[i] = live[r] && a[r][i] != 0.0;
            }
        }
        return live;
    }

    private static void checkOrder(String name, double[] c, double[][] a, double[] b, int p) {
        int s = c.length;
        double[] ac = new double[s];
        double[] ac2 = new double[s];
        double[] aac = new double[s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < i; j++) {
                ac[i] += a[i][j] * c[j];
                ac2[i] += a[i][j] * c[j] * c[j];
            }
        }
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < i; j++) {
                aac[i] += a[i][j] * ac[j];
            }
        }
        double[][] conditions = {
            {1, dot(b, ones(s))},
            {2, 2 * dot(b, c)},
            {3, 3 * dot(b, pow(c, 2))}, {3, 6 * dot(b, ac)},
            {4, 4 * dot(b, pow(c, 3))}, {4, 8 * dot(b, mul(c, ac))}, {4, 12 * dot(b, ac2)}, {4, 24 * dot(b, aac)},
        };
        for (double[] cond : conditions) {
            if (cond[0] <= p && Math.abs(cond[1] - 1) > 1e-10) {
                throw new IllegalArgumentException("tableau " + name + " violates an order-" + (int) cond[0]
                        + " condition (value " + cond[1] + ", expected 1)");
            }
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1);
        return v;
    }

    private static double[] pow(double[] x, int k) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = StrictMath.pow(x[i], k);
        }
        return v;
    }

    private static double[] mul(double[] x, double[] y) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = x[i] * y[i];
        }
        return v;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid Butcher tableau: " + message);
        }
    }
}
