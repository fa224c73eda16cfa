package dev.odeflow.kernels.solver;

/** Work done by one solve: function evaluations and accepted/rejected steps. */
public record SolveStats(long nfe, long accepted, long rejected) {

    public static final SolveStats ZERO = new SolveStats(0, 0, 0);

    public SolveStats plus(SolveStats o) {
        return new SolveStats(nfe + o.nfe, accepted + o.accepted, rejected + o.rejected);
    }
}
