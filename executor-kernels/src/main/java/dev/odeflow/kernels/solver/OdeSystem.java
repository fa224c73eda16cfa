package dev.odeflow.kernels.solver;

/**
 * A first-order system dy/dt = f(t, y) on a flat state vector. Implementations may keep scratch buffers,
 * so one instance serves one solve on one thread; immutable factories create them per solve.
 */
public interface OdeSystem {

    /** Length of the state vector. */
    int dim();

    /** Writes f(t, y) into {@code dydt}; must not modify {@code y}. */
    void eval(double t, double[] y, double[] dydt);
}
