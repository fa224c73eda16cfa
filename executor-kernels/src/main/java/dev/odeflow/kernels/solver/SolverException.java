package dev.odeflow.kernels.solver;

/**
 * A solve that cannot continue: the step size fell below its minimum, the step or NFE budget ran out,
 * or the state became NaN/Inf. The message and the fields name where it happened.
 */
public final class SolverException extends ArithmeticException {

    private final double t;
    private final double h;
    private final long nfe;

    public SolverException(String reason, double t, double h, long nfe) {
        super(reason + " at t=" + t + ", h=" + h + " after " + nfe + " function evaluations");
        this.t = t;
        this.h = h;
        this.nfe = nfe;
    }

    public double t() {
        return t;
    }

    public double h() {
        return h;
    }

    public long nfe() {
        return nfe;
    }
}
