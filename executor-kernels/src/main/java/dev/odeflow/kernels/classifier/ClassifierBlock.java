package dev.odeflow.kernels.classifier;

import java.util.Locale;

/**
 * The feature part of an image classifier ({@code model.block}), between torchdiffeq's {@code odenet_mnist.py}
 * convolutional downsampling and its head. The ODE block trained with the adjoint is the seeds' ODE-Net; with
 * direct backprop through the solver, their RK-Net.
 */
public enum ClassifierBlock {
    /** One ODE block: the ODEfunc of two time-concatenated 3×3 convolutions, solved over [0, T]. */
    ODE("ode"),
    /** Six residual blocks of two 3×3 convolutions (the seeds' ResNet). */
    RESNET("resnet"),
    /** No convolutions: one hidden layer on the flattened pixels (the seeds' 1-layer MLP). */
    MLP("mlp");

    private final String label;

    ClassifierBlock(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ClassifierBlock parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (ClassifierBlock b : values()) {
            if (b.label.equals(key)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown classifier block '" + name + "'; expected ode, resnet or mlp");
    }
}
