package dev.odeflow.kernels.bench;

import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.dynamics.CnfArchitecture;

/**
 * The shapes the bench measures: FFJORD's toy CNF and two FFJORD tabular-style flows, the ones users run.
 *
 * @see <a href="../../../../../../../../benchmarks/README.md">benchmarks/README.md</a> for the torchdiffeq side
 */
enum BenchCase {
    /** concatsquash 2-64-64-64-2, tanh, exact trace (FFJORD's train_toy.py). */
    FFJORD_TOY("ffjord-toy", new CnfArchitecture(2, new int[] {64, 64, 64}, LayerKind.CONCATSQUASH, Activation.TANH),
            Divergence.EXACT),
    /** A 16-column table: concatsquash 16-160-160-16, softplus, Gaussian Hutchinson (hdim_factor 10). */
    TABULAR_16("tabular-16", new CnfArchitecture(16, new int[] {160, 160}, LayerKind.CONCATSQUASH, Activation.SOFTPLUS),
            Divergence.GAUSSIAN),
    /** MINIBOONE's shape: concatsquash 43-860-860-43, softplus, Gaussian Hutchinson (hdim_factor 20). */
    MINIBOONE("miniboone", new CnfArchitecture(43, new int[] {860, 860}, LayerKind.CONCATSQUASH, Activation.SOFTPLUS),
            Divergence.GAUSSIAN);

    private final String label;
    private final CnfArchitecture architecture;
    private final Divergence divergence;

    BenchCase(String label, CnfArchitecture architecture, Divergence divergence) {
        this.label = label;
        this.architecture = architecture;
        this.divergence = divergence;
    }

    String label() {
        return label;
    }

    CnfArchitecture architecture() {
        return architecture;
    }

    /** The trace estimator the case trains with unless {@code divergence=} says otherwise. */
    Divergence divergence() {
        return divergence;
    }

    static BenchCase parse(String name) {
        for (BenchCase c : values()) {
            if (c.label.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown bench case '" + name + "'; expected ffjord-toy, tabular-16 or"
                + " miniboone");
    }
}
