package dev.odeflow.kernels.solver;

/** How step sizes are chosen. */
public enum StepMode {
    /** Error-controlled steps from an embedded pair. */
    ADAPTIVE,
    /** N equal steps between consecutive observation times. */
    FIXED_STEPS,
    /** A fixed step size h from t0; the last step is clipped to the end time. */
    FIXED_SIZE,
    /** Steps between the points of a user time grid. */
    FIXED_GRID
}
