package dev.odeflow.kernels.classifier;

import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.nn.MapShape;

import java.io.Serializable;

/**
 * What a classifier is built from, before any solver: the block, the images' shape and the number of classes.
 *
 * @param block    the feature block
 * @param input    one image's shape, channels-last
 * @param classes  number of classes (labels 0 .. classes−1)
 * @param channels width of the convolutional network (odenet_mnist.py: 64)
 * @param hidden   hidden width of the MLP block (the seeds' 1-layer MLP: 300)
 * @param endTime  the ODE block integrates over [0, endTime] (odenet_mnist.py: 1)
 * @param precision the arithmetic of the convolutions' and linear layers' products in training (float32: as
 *                  PyTorch trains; the rest of the network, the solver, θ and evaluation stay in double)
 */
public record ClassifierArchitecture(ClassifierBlock block, MapShape input, int classes, int channels, int hidden,
                                     double endTime, Precision precision) implements Serializable {

    /** MNIST's 28×28 grey images and 10 classes. */
    public static final MapShape MNIST_IMAGE = new MapShape(28, 28, 1);

    public ClassifierArchitecture {
        if (block == null || input == null || precision == null) {
            throw new IllegalArgumentException("a classifier needs a block, an input shape and a precision");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        if (channels < 1 || hidden < 1) {
            throw new IllegalArgumentException("channels and hidden width must be >= 1, got " + channels + " and "
                    + hidden);
        }
        if (!(endTime > 0) || !Double.isFinite(endTime)) {
            throw new IllegalArgumentException("the ODE block's end time must be > 0 and finite, got " + endTime);
        }
        if (block != ClassifierBlock.MLP && (input.height() < 12 || input.width() < 12)) {
            throw new IllegalArgumentException("the convolutional blocks downsample by 4 after a 3×3 convolution:"
                    + " images must be at least 12×12, got " + input);
        }
    }

    /** The same classifier with its training products in {@code p}. */
    public ClassifierArchitecture withPrecision(Precision p) {
        return new ClassifierArchitecture(block, input, classes, channels, hidden, endTime, p);
    }

    /** odenet_mnist.py's sizes on MNIST: 64 channels, the seeds' 300-wide MLP, T = 1. */
    public static ClassifierArchitecture mnist(ClassifierBlock block, Precision precision) {
        return new ClassifierArchitecture(block, MNIST_IMAGE, 10, 64, 300, 1.0, precision);
    }
}
