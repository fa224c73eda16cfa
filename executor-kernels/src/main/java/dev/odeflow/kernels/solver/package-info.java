/**
 * The ODE solver: validated Butcher tableaus run by one explicit Runge–Kutta engine, with fixed and adaptive stepping (RMS error norm or seminorm, Hairer's initial step, safety 0.9, growth ≤ 10×, shrink ≥ 0.2×), dense output at observation times, and step/NFE guards that raise {@link dev.odeflow.kernels.solver.SolverException}.
 */
package dev.odeflow.kernels.solver;
