package dev.odeflow.kernels.latent;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.nn.GruCell;
import dev.odeflow.kernels.nn.Mlp;
import dev.odeflow.kernels.trajectory.InputTransform;
import dev.odeflow.kernels.trajectory.MlpField;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The latent ODE's networks and their place in θ, named as PyTorch modules would name them: the encoder
 * {@code encoder.gru} (a GRU cell over (x, Δt)) and {@code encoder.h2o} (hidden → μ, log σ²), then the dynamics
 * ({@code func.net}: the latent field; or {@code rnn}: the baseline's GRU cell fed Δt), then the decoder
 * {@code decoder} (latent → data). Immutable.
 *
 * @param dim           observed values per time
 * @param latent        the latent state's size L
 * @param encoderHidden the encoder GRU's hidden size
 * @param fieldHidden   the latent field's hidden widths (ignored by the GRU dynamics)
 * @param decoderHidden the decoder's hidden widths
 * @param activation    the field's and the decoder's activation
 * @param dynamics      ODE or the GRU baseline
 */
public record LatentArchitecture(int dim, int latent, int encoderHidden, int[] fieldHidden, int[] decoderHidden,
                                 Activation activation, LatentDynamics dynamics) implements Serializable {

    public LatentArchitecture {
        if (dim < 1 || latent < 1 || encoderHidden < 1 || fieldHidden == null || fieldHidden.length < 1
                || decoderHidden == null || activation == null || dynamics == null) {
            throw new IllegalArgumentException("a latent model needs dim, latent size and encoder width >= 1, at"
                    + " least one field layer, decoder widths, an activation and a dynamics");
        }
        fieldHidden = fieldHidden.clone();
        decoderHidden = decoderHidden.clone();
    }

    @Override
    public int[] fieldHidden() {
        return fieldHidden.clone();
    }

    @Override
    public int[] decoderHidden() {
        return decoderHidden.clone();
    }

    /** The encoder's cell: input (x, Δt). */
    public GruCell encoderCell() {
        return new GruCell("encoder.gru", dim + 1, encoderHidden);
    }

    /** hidden → (μ, log σ²). */
    public Mlp encoderHead() {
        return new Mlp("encoder.h2o", encoderHidden, new int[0], 2 * latent, activation);
    }

    /** The latent field (ODE dynamics). */
    public MlpField field() {
        return new MlpField("func.net", latent, fieldHidden, activation, InputTransform.IDENTITY);
    }

    /** The baseline's cell (GRU dynamics): input Δt, hidden z. */
    public GruCell rnnCell() {
        return new GruCell("rnn", 1, latent);
    }

    public Mlp decoder() {
        return new Mlp("decoder", latent, decoderHidden, dim, activation);
    }

    /** Where each part starts in θ: encoder cell, head, dynamics, decoder, and the end. */
    int[] offsets() {
        int a = encoderCell().size();
        int b = a + encoderHead().size();
        int c = b + (dynamics == LatentDynamics.ODE ? field().size() : rnnCell().size());
        return new int[] {0, a, b, c, c + decoder().size()};
    }

    public int size() {
        return offsets()[4];
    }

    /** All named tensors of θ, in order. */
    public ParameterLayout layout() {
        ParameterLayout.Builder b = new ParameterLayout.Builder();
        ParameterLayout[] parts = {encoderCell().layout(), encoderHead().layout(),
            dynamics == LatentDynamics.ODE ? field().layout() : rnnCell().layout(), decoder().layout()};
        for (ParameterLayout p : parts) {
            for (NamedTensor t : p.tensors()) {
                b.add(t.name(), t.shape());
            }
        }
        return b.build();
    }

    /** PyTorch's default initialization of every part, drawn from {@code seed}. */
    public double[] initialParameters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] at = offsets();
        double[] theta = new double[size()];
        encoderCell().initialize(theta, at[0], rng);
        encoderHead().initialize(theta, at[1], rng);
        if (dynamics == LatentDynamics.ODE) {
            field().net().initialize(theta, at[2], rng);
        } else {
            rnnCell().initialize(theta, at[2], rng);
        }
        decoder().initialize(theta, at[3], rng);
        return theta;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatentArchitecture a && a.dim == dim && a.latent == latent
                && a.encoderHidden == encoderHidden && Arrays.equals(a.fieldHidden, fieldHidden)
                && Arrays.equals(a.decoderHidden, decoderHidden) && a.activation == activation
                && a.dynamics == dynamics;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fieldHidden) * 31 + Arrays.hashCode(decoderHidden) + latent * 17 + dynamics.hashCode();
    }

    @Override
    public String toString() {
        return "latent " + dynamics.label() + " L=" + latent + " encoder " + encoderHidden + " field "
                + Arrays.toString(fieldHidden) + " decoder " + Arrays.toString(decoderHidden) + " "
                + activation.label();
    }
}
