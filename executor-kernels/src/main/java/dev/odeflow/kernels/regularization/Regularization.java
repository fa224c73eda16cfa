package dev.odeflow.kernels.regularization;

import java.io.Serializable;

/**
 * The weights of the RNODE regularizers (Finlay et al. 2020) in the training loss
 * mean NLL + kineticEnergy·mean(E_kin) + jacobianFrobenius·mean(E_jac), where per sample and per CNF block
 * E_kin = ∫₀ᵀ ‖f(z, t)‖² dt and E_jac = ∫₀ᵀ ‖∂f/∂z‖²_F dt (exact trace: the sum of the squared tangents
 * ‖(∂f/∂z)e_j‖² over the basis; Hutchinson: ‖(∂f/∂z)ε‖² for the trace's own noise ε, whose expectation is the
 * same norm). A regularizer with weight 0 adds no state, no work and no term: {@link #none()} is the plain CNF.
 *
 * @param kineticEnergy     weight of ∫‖f‖² dt (FFJORD's {@code l2int}), ≥ 0 and finite
 * @param jacobianFrobenius weight of ∫‖∂f/∂z‖²_F dt (FFJORD's {@code JFrobint}), ≥ 0 and finite
 */
public record Regularization(double kineticEnergy, double jacobianFrobenius) implements Serializable {

    /** What the CUDA kernels do not compute; the message of every refusal names the job keys. */
    public static final String NOT_ON_CUDA = "the RNODE regularizers (regularization.l2int, regularization.JFrobint)"
            + " are not implemented on the CUDA backend; set both to 0, or use backend=cpu (backend=auto runs a"
            + " regularized model on the CPU)";

    public Regularization {
        check("kinetic-energy weight l2int", kineticEnergy);
        check("Jacobian-norm weight JFrobint", jacobianFrobenius);
    }

    /** No regularization. */
    public static Regularization none() {
        return new Regularization(0, 0);
    }

    /** Whether the state carries E_kin. */
    public boolean kinetic() {
        return kineticEnergy > 0;
    }

    /** Whether the state carries E_jac. */
    public boolean jacobian() {
        return jacobianFrobenius > 0;
    }

    /** Whether any regularizer is on. */
    public boolean active() {
        return kinetic() || jacobian();
    }

    private static void check(String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be >= 0 and finite, got " + v);
        }
    }
}
