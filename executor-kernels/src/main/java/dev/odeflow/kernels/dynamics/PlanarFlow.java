package dev.odeflow.kernels.dynamics;

import dev.odeflow.kernels.trace.Probe;

import java.io.Serializable;
import java.util.Random;

/**
 * The gated planar CNF of Chen et al. (section 4): f(t, z) = Σ_k σ_k(t) u_k h(w_kᵀz + b_k) with
 * h = tanh and gates σ_k(t) = sigmoid(a_k t + c_k). Its trace has the closed form
 * tr(∂f/∂z) = Σ_k σ_k(t) (u_kᵀw_k) h'(w_kᵀz + b_k), which costs O(K·d) instead of d Jacobian columns;
 * the probe is therefore ignored beyond "exact trace wanted".
 */
public final class PlanarFlow implements BatchDynamics, Serializable {

    private static final long serialVersionUID = 1L;

    private final int dim;
    private final int units;
    private final ParameterLayout layout;
    private final int offU;
    private final int offW;
    private final int offB;
    private final int offA;
    private final int offC;

    public PlanarFlow(int dim, int units) {
        if (dim < 1 || units < 1) {
            throw new IllegalArgumentException("planar CNF needs dim >= 1 and units >= 1, got " + dim + ", " + units);
        }
        this.dim = dim;
        this.units = units;
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        offU = b.add("u", units, dim);
        offW = b.add("w", units, dim);
        offB = b.add("b", units);
        offA = b.add("gate.weight", units);
        offC = b.add("gate.bias", units);
        layout = b.build();
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public double[] initialParameters(Random rng) {
        double[] theta = new double[layout.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = rng.nextGaussian() * 0.5;
        }
        return theta;
    }

    @Override
    public String toString() {
        return "PlanarFlow(d=" + dim + ", K=" + units + ")";
    }

    @Override
    public Pass newPass(int maxBatch) {
        return new PlanarPass();
    }

    private final class PlanarPass implements Pass {
        private double t;
        private double[] theta;
        private double[] z = new double[0];
        private int n;
        private boolean withTrace;
        private final double[] gate = new double[units];
        private final double[] uw = new double[units];

        @Override
        public long retainedBytes() {
            return 8L * (z.length + gate.length + uw.length);
        }

        @Override
        public void forward(double t, double[] theta, double[] z, int n, Probe probe, double[] f, double[] trace) {
            if (probe.count() > 0 && !probe.isExact()) {
                throw new IllegalArgumentException("the planar CNF uses its closed-form trace; use divergence=exact");
            }
            this.t = t;
            this.theta = theta;
            if (this.z.length < n * dim) {
                this.z = new double[n * dim];
            }
            System.arraycopy(z, 0, this.z, 0, n * dim);
            this.n = n;
            this.withTrace = probe.count() > 0 && trace != null;
            for (int k = 0; k < units; k++) {
                gate[k] = Activation.sigmoid(theta[offA + k] * t + theta[offC + k]);
                double s = 0;
                for (int c = 0; c < dim; c++) {
                    s += theta[offU + k * dim + c] * theta[offW + k * dim + c];
                }
                uw[k] = s;
            }
            for (int i = 0; i < n; i++) {
                int zb = i * dim;
                java.util.Arrays.fill(f, zb, zb + dim, 0);
                double tr = 0;
                for (int k = 0; k < units; k++) {
                    double h = Activation.tanh(pre(i, k));
                    double coef = gate[k] * h;
                    for (int c = 0; c < dim; c++) {
                        f[zb + c] += coef * theta[offU + k * dim + c];
                    }
                    tr += gate[k] * uw[k] * (1 - h * h);
                }
                if (withTrace) {
                    trace[i] = tr;
                }
            }
        }

        private double pre(int i, int k) {
            double s = theta[offB + k];
            for (int c = 0; c < dim; c++) {
                s += theta[offW + k * dim + c] * z[i * dim + c];
            }
            return s;
        }

        @Override
        public double backward(double[] gF, double[] gS, double[] gz, double[] gTheta) {
            double gt = 0;
            for (int i = 0; i < n; i++) {
                int zb = i * dim;
                double vT = withTrace && gS != null ? gS[i] : 0;
                for (int k = 0; k < units; k++) {
                    double h = Activation.tanh(pre(i, k));
                    double h1 = 1 - h * h;
                    double h2 = -2 * h * h1;
                    double sig = gate[k];
                    double q = 0;
                    for (int c = 0; c < dim; c++) {
                        q += gF[zb + c] * theta[offU + k * dim + c];
                    }
                    double gs = sig * (q * h1 + vT * uw[k] * h2);
                    for (int c = 0; c < dim; c++) {
                        double uc = theta[offU + k * dim + c];
                        double wc = theta[offW + k * dim + c];
                        gz[zb + c] += gs * wc;
                        gTheta[offU + k * dim + c] += sig * h * gF[zb + c] + vT * sig * h1 * wc;
                        gTheta[offW + k * dim + c] += gs * z[zb + c] + vT * sig * h1 * uc;
                    }
                    gTheta[offB + k] += gs;
                    double gSig = q * h + vT * uw[k] * h1;
                    double gp = gSig * sig * (1 - sig);
                    gTheta[offA + k] += gp * t;
                    gTheta[offC + k] += gp;
                    gt += gp * theta[offA + k];
                }
            }
            return gt;
        }

        @Override
        public void jvp(double t, double[] theta, double[] z, int n, double[] dz, double[] out) {
            for (int i = 0; i < n; i++) {
                int zb = i * dim;
                java.util.Arrays.fill(out, zb, zb + dim, 0);
                for (int k = 0; k < units; k++) {
                    double s = theta[offB + k];
                    double wd = 0;
                    for (int c = 0; c < dim; c++) {
                        s += theta[offW + k * dim + c] * z[zb + c];
                        wd += theta[offW + k * dim + c] * dz[zb + c];
                    }
                    double h = Activation.tanh(s);
                    double coef = Activation.sigmoid(theta[offA + k] * t + theta[offC + k]) * (1 - h * h) * wd;
                    for (int c = 0; c < dim; c++) {
                        out[zb + c] += coef * theta[offU + k * dim + c];
                    }
                }
            }
        }
    }
}
