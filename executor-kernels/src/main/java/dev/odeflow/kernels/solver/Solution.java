package dev.odeflow.kernels.solver;

/**
 * States at the observation times of a solve: {@code states[k]} is y(times[k]), {@code states[0]} a copy
 * of the initial state.
 */
public record Solution(double[] times, double[][] states, SolveStats stats) {

    /** The state at the last observation time. */
    public double[] last() {
        return states[states.length - 1];
    }
}
