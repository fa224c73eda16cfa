package dev.odeflow.kernels.nn;

import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One layer of an image network on batches of n examples stored channels-last ({@link MapShape}). Its parameters
 * sit at an offset of a larger θ under PyTorch's tensor names and layouts (a convolution's weight is
 * out×in×kh×kw), so a module's {@code state_dict()} and {@link #layout()} name the same tensors. Immutable and
 * serializable; {@link #pass} gives one thread's working memory.
 */
public interface Layer extends Serializable {

    /** The shape of one input example. */
    MapShape in();

    /** The shape of one output example. */
    MapShape out();

    /** The named tensors, offsets from 0 (empty for a layer without parameters). */
    ParameterLayout layout();

    /** Number of parameters. */
    default int size() {
        return layout().size();
    }

    /** PyTorch's default initialization of this layer's tensors into θ[offset ..), in layout order. */
    void initialize(double[] theta, int offset, SplittableRandom rng);

    /** One thread's forward and reverse passes over n examples under the parameters at θ[offset ..). */
    Pass pass(double[] theta, int offset, int n);

    /** One thread's evaluations; the forward keeps what the reverse needs. */
    interface Pass {

        /**
         * Evaluates the layer on x (n×in); t is the time a time channel carries (layers without one ignore it). x is
         * not modified and must stay unchanged until {@link #backward}; the returned output (n×out) is owned by the
         * pass and stays valid until its next forward.
         */
        double[] forward(double[] x, double t);

        /**
         * The reverse of the last {@link #forward}: with dOut = ∂L/∂output (n×out), adds ∂L/∂θ into g[gOffset ..)
         * and returns ∂L/∂x (n×in, owned by the pass). dOut may be overwritten.
         */
        double[] backward(double[] dOut, double[] g, int gOffset);

        /** ∂L/∂t of the last {@link #backward}: 0 for a layer without a time channel. */
        default double timeGradient() {
            return 0;
        }

        /** Bytes the pass keeps from a forward for its backward (activations, not the weights). */
        long keptBytes();

        /** The passes this one is made of, in order: itself, or a composite's parts (and theirs). */
        default List<Layer.Pass> parts() {
            return List.of(this);
        }
    }
}
