package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;

/** The integer codes the kernels use for layer kinds and activations (the #defines in src/main/cuda). */
public final class KernelCodes {

    /** ODEFLOW_LAYER_CONCAT / ODEFLOW_LAYER_CONCATSQUASH in cnf_network.cuh. */
    public static int layer(LayerKind kind) {
        return switch (kind) {
            case CONCAT -> 0;
            case CONCATSQUASH -> 1;
        };
    }

    /** ODEFLOW_ACT_* in activations.cuh. */
    public static int activation(Activation activation) {
        return switch (activation) {
            case TANH -> 0;
            case SOFTPLUS -> 1;
            case ELU -> 2;
            case SWISH -> 3;
        };
    }

    private KernelCodes() {
    }
}
